//! Cases about the bytes around the JSON: empty files, gzip (truncated, corrupt,
//! multi-member, bombs), byte order marks and other encodings.

use super::*;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const MIB: usize = 1 << 20;

/// Deterministic bytes that look random (xorshift), as a binary file would.
fn random_bytes(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    out[0] = 0x9c;
    out
}

/// An alert first, then enough noise that half of the gzip stream is many records.
fn long_trail() -> Vec<u8> {
    let mut records = vec![alert("cut-1")];
    records.extend((0..3000).map(|i| noise(&format!("n-{i}"))));
    gz(&doc(&records))
}

fn with_bad_crc(mut gzip: Vec<u8>) -> Vec<u8> {
    let at = gzip.len() - 8;
    gzip[at] ^= 0xff;
    gzip
}

/// The cases of this theme, in the order they are reported.
pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "empty.json.gz",
            build: Vec::new,
            expect: fails("the file is empty", n(0, 0, 0, 0, 0), &[]),
        },
        Case {
            name: "whitespace-only.json",
            build: || b" \n\t\r\n ".to_vec(),
            expect: fails(
                "the file holds only whitespace (6 bytes)",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            name: "gzip-of-whitespace.json.gz",
            build: || gz(b"\n\n  \n"),
            expect: fails(
                "the gzip data decompresses to only whitespace (5 bytes)",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            name: "not-gzip-random-binary.json.gz",
            build: || random_bytes(4096),
            expect: fails(
                "neither gzip nor JSON: the file starts with byte 0x9c",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            name: "utf16-with-bom.json",
            build: || {
                let text = String::from_utf8(doc(&[alert("u16")])).unwrap();
                let mut out = vec![0xff, 0xfe];
                out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                out
            },
            expect: fails(
                "neither gzip nor JSON: the file starts with byte 0xff",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            name: "utf8-bom-plain.json",
            build: || [BOM, &doc(&[alert("bom-1")])].concat(),
            expect: scanned(n(1, 1, 0, 0, 0), &[], &["bom-1 critical"]),
        },
        Case {
            name: "utf8-bom-inside-gzip.json.gz",
            build: || gz(&[BOM, &doc(&[noise("x"), alert("bom-2")])].concat()),
            expect: scanned(n(2, 1, 1, 0, 0), &[], &["bom-2 critical"]),
        },
        Case {
            name: "truncated-gzip-mid-stream.json.gz",
            build: || {
                let full = long_trail();
                full[..full.len() / 2].to_vec()
            },
            expect: Expect {
                error: Some("truncated gzip: the compressed data ends early"),
                counts: None,
                issues: &[],
                alerts: &["cut-1 critical"],
            },
        },
        Case {
            name: "truncated-gzip-header-only.json.gz",
            build: || long_trail()[..10].to_vec(),
            expect: fails(
                "truncated gzip: the compressed data ends early",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            name: "gzip-bad-crc.json.gz",
            build: || with_bad_crc(gz(&doc(&[alert("crc-1"), noise("crc-2")]))),
            expect: fails("corrupt gzip data: ", n(2, 1, 1, 0, 0), &["crc-1 critical"]),
        },
        Case {
            name: "gzip-member-then-garbage.json.gz",
            build: || [gz(&doc(&[alert("tail-1")])), b"\n-- not gzip --\n".to_vec()].concat(),
            expect: fails(
                "corrupt gzip data: ",
                n(1, 1, 0, 0, 0),
                &["tail-1 critical"],
            ),
        },
        Case {
            name: "gzip-two-members-two-trails.json.gz",
            build: || {
                [
                    gz(&doc(&[alert("m-1"), noise("m-2")])),
                    gz(&doc(&[alert("m-3")])),
                ]
                .concat()
            },
            expect: scanned(n(3, 2, 1, 0, 0), &[], &["m-1 critical", "m-3 critical"]),
        },
        Case {
            name: "gzip-one-trail-split-across-members.json.gz",
            build: || {
                let whole = doc(&[alert("s-1"), noise("s-2"), alert("s-3")]);
                let (a, b) = whole.split_at(whole.len() / 2);
                [gz(a), gz(b)].concat()
            },
            expect: scanned(n(3, 2, 1, 0, 0), &[], &["s-1 critical", "s-3 critical"]),
        },
        Case {
            // 1 GiB of zeros in about 1 MB: not JSON, known from the first byte.
            name: "gzip-bomb-zeros.json.gz",
            build: || gz_repeated(b"", &vec![0; MIB], 1024, b""),
            expect: fails(
                "not JSON: expected '{' at byte 0, found byte 0x00",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            // 32 MiB of whitespace between two records in about 40 KB: valid JSON,
            // so it is read to the end, in bounded memory (see corpus_memory.rs).
            name: "gzip-bomb-whitespace.json.gz",
            build: || {
                let head = [b"{\"Records\":[".as_slice(), &bytes(&alert("bomb-1")), b","].concat();
                let tail = [bytes(&alert("bomb-2")), b"]}".to_vec()].concat();
                gz_repeated(&head, &vec![b' '; MIB], 32, &tail)
            },
            expect: scanned(
                n(2, 2, 0, 0, 0),
                &[],
                &["bomb-1 critical", "bomb-2 critical"],
            ),
        },
    ]
}
