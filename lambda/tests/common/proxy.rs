//! A fault-injecting HTTP proxy between the function's SDK clients and LocalStack,
//! listening on 127.0.0.1. Each request is matched against the injected rules (by
//! service and operation); the first matching rule with uses left decides its fate.
//! DynamoDB, Cognito and STS requests go to their own upstream (moto), the others
//! to LocalStack.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::{Request, Response};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;

use super::faults::{error_response, split_batch, Service};

/// What happens to a matched request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with the service's own error of this code (`InternalError`, `Throttling`...).
    Error(&'static str),
    /// Forward after a pause.
    Delay(Duration),
    /// Close the connection without answering; the service never sees the request.
    Reset,
    /// Forward, then close the connection instead of answering: the call took effect
    /// but the client cannot know.
    LoseResponse,
    /// Forward, answer with the headers and this many body bytes, then break the
    /// connection.
    CutBody(usize),
    /// Never answer (the client's timeout must give up).
    Stall,
    /// PublishBatch: the entries at these positions fail (with `SenderFault` when
    /// `sender` is true) and are not forwarded; the others are.
    FailEntries { positions: Vec<usize>, sender: bool },
    /// PublishBatch: the entries at these positions are not forwarded, and the
    /// answer lists them neither as successful nor as failed.
    DropEntries(Vec<usize>),
}

/// A rule: after `skip` requests of `service` (and `operation`, when given) pass,
/// the next `times` get `fault`.
#[derive(Debug, Clone)]
pub struct Rule {
    pub service: Service,
    pub operation: Option<&'static str>,
    pub fault: Fault,
    pub skip: usize,
    pub times: usize,
}

impl Rule {
    /// `fault` for the next `times` requests of `service`.
    pub fn new(service: Service, fault: Fault, times: usize) -> Rule {
        Rule {
            service,
            operation: None,
            fault,
            skip: 0,
            times,
        }
    }

    /// Lets the first `n` matching requests through.
    pub fn after(mut self, n: usize) -> Rule {
        self.skip = n;
        self
    }

    /// Only requests of this operation (`PutItem`, `BatchWriteItem`...).
    pub fn op(mut self, operation: &'static str) -> Rule {
        self.operation = Some(operation);
        self
    }
}

/// One request the proxy saw, and the fault it got (if any).
#[derive(Debug, Clone)]
pub struct Seen {
    pub service: Option<Service>,
    pub operation: String,
    pub fault: Option<String>,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    seen: Vec<Seen>,
}

/// The running proxy; stops when dropped.
pub struct Proxy {
    port: u16,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

type ProxyBody = http_body_util::combinators::BoxBody<Bytes, io::Error>;

impl Proxy {
    /// Starts a proxy to `upstream` (`http://host:port`) on a free port of 127.0.0.1.
    pub async fn start(upstream: String) -> Proxy {
        let dynamodb = upstream.clone();
        Proxy::start_routed(upstream, dynamodb).await
    }

    /// The same, sending DynamoDB's, Cognito's and STS's requests to `dynamodb`
    /// (moto) instead.
    pub async fn start_routed(upstream: String, dynamodb: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let client = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
        let shared = (state.clone(), Arc::new((upstream, dynamodb)), client);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (state, upstream, client) = shared.clone();
                let service = hyper::service::service_fn(move |req| {
                    handle(state.clone(), upstream.clone(), client.clone(), req)
                });
                tokio::spawn(
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service),
                );
            }
        });
        Proxy { port, state, task }
    }

    /// The endpoint URL to give the SDK.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Adds a rule (rules are tried in the order given).
    pub fn inject(&self, rule: Rule) {
        self.state.lock().unwrap().rules.push(rule);
    }

    /// Removes every rule: the services behave again.
    pub fn heal(&self) {
        self.state.lock().unwrap().rules.clear();
    }

    /// Requests seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Upstream = Client<HttpConnector, Full<Bytes>>;

async fn handle(
    state: Arc<Mutex<State>>,
    upstreams: Arc<(String, String)>,
    client: Upstream,
    req: Request<Incoming>,
) -> Result<Response<ProxyBody>, io::Error> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map_err(io::Error::other)?.to_bytes();
    let (service, operation) = super::faults::identify(&parts, &body);
    let upstream = if service.is_some_and(Service::on_moto) {
        upstreams.1.clone()
    } else {
        upstreams.0.clone()
    };
    let fault = take_fault(&state, service, &operation);
    state.lock().unwrap().seen.push(Seen {
        service,
        operation: operation.clone(),
        fault: fault.as_ref().map(|f| format!("{f:?}")),
    });
    let forward = |body: Bytes| {
        let mut parts = parts.clone();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        parts.uri = format!("{upstream}{path}").parse().unwrap();
        parts.headers.remove(hyper::header::CONTENT_LENGTH);
        parts.headers.remove(hyper::header::TRANSFER_ENCODING);
        let client = client.clone();
        async move {
            let resp = client
                .request(Request::from_parts(parts, Full::new(body)))
                .await
                .map_err(io::Error::other)?;
            let (parts, body) = resp.into_parts();
            let body = body.collect().await.map_err(io::Error::other)?.to_bytes();
            Ok::<_, io::Error>((parts, body))
        }
    };
    let Some(fault) = fault else {
        let (parts, body) = forward(body).await?;
        return Ok(Response::from_parts(parts, full(body)));
    };
    match fault {
        Fault::Error(code) => Ok(error_response(service, code).map(full)),
        Fault::Delay(pause) => {
            tokio::time::sleep(pause).await;
            let (parts, body) = forward(body).await?;
            Ok(Response::from_parts(parts, full(body)))
        }
        Fault::Reset => Err(io::Error::other("injected reset")),
        Fault::LoseResponse => {
            forward(body).await?;
            Err(io::Error::other("injected lost response"))
        }
        Fault::CutBody(keep) => {
            let (parts, body) = forward(body).await?;
            let keep = body.slice(..keep.min(body.len()));
            let broken = Broken {
                data: Some(keep),
                pause: Box::pin(tokio::time::sleep(Duration::from_millis(200))),
            };
            Ok(Response::from_parts(parts, broken.boxed()))
        }
        Fault::Stall => std::future::pending().await,
        Fault::FailEntries { positions, sender } => {
            let (kept, failed_ids) = split_batch(&body, &positions);
            let (parts, answer) = forward(kept).await?;
            let answer = super::faults::add_failed_entries(&answer, &failed_ids, sender);
            let mut resp = Response::from_parts(parts, full(answer));
            resp.headers_mut().remove(hyper::header::CONTENT_LENGTH);
            Ok(resp)
        }
        Fault::DropEntries(positions) => {
            let (kept, _) = split_batch(&body, &positions);
            let (parts, answer) = forward(kept).await?;
            Ok(Response::from_parts(parts, full(answer)))
        }
    }
}

fn take_fault(state: &Mutex<State>, service: Option<Service>, operation: &str) -> Option<Fault> {
    let mut state = state.lock().unwrap();
    let rule = state.rules.iter_mut().find(|r| {
        r.times > 0 && Some(r.service) == service && r.operation.is_none_or(|op| op == operation)
    })?;
    if rule.skip > 0 {
        rule.skip -= 1;
        return None;
    }
    rule.times -= 1;
    Some(rule.fault.clone())
}

fn full(bytes: Bytes) -> ProxyBody {
    Full::new(bytes).map_err(|e: Infallible| match e {}).boxed()
}

/// A body that sends its data, then fails: hyper aborts the connection mid-body.
/// The pause lets hyper flush what it has first, so the client holds the answer
/// (and has handed the body over) when the connection breaks.
struct Broken {
    data: Option<Bytes>,
    pause: Pin<Box<tokio::time::Sleep>>,
}

impl Body for Broken {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        std::task::ready!(self.pause.as_mut().poll(cx));
        Poll::Ready(Some(Err(io::Error::other("injected connection break"))))
    }
}
