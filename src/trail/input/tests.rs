use super::*;
use std::io::Write;

#[test]
fn a_gzip_stream_past_the_limit_is_refused() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b' '; 1 << 20]).unwrap();
    let bytes = gz.finish().unwrap();
    let (_, mut json) = open_capped(io::Cursor::new(bytes.clone()), 64 << 10).unwrap();
    let err = io::copy(&mut json, &mut io::sink()).unwrap_err();
    assert!(
        err.get_ref().is_some_and(|e| e.is::<InflateLimit>()),
        "{err}"
    );
    assert!(err.to_string().contains("decompression bomb"), "{err}");
    let (_, mut json) = open_capped(io::Cursor::new(bytes), 1 << 20).unwrap();
    assert_eq!(io::copy(&mut json, &mut io::sink()).unwrap(), 1 << 20);
}
