//! A web site on 127.0.0.1 for the fetcher's tests: pages, redirects, feeds and robots.txt
//! that a test puts in place (and changes between two fetches), and the requests it got.
//!
//! It binds loopback only; tests reach nothing else.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Request, Response, StatusCode};

/// What the site answers at one path.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    /// Waits this long before answering.
    pub delay: Duration,
    /// Sent as ETag; a request with a matching If-None-Match gets a 304.
    pub etag: Option<String>,
    /// Sent in chunks without a Content-Length, as a streaming server does.
    pub chunked: bool,
}

impl Page {
    pub fn html(body: &str) -> Page {
        Page::typed("text/html; charset=utf-8", body.as_bytes().to_vec())
    }

    pub fn typed(content_type: &str, body: Vec<u8>) -> Page {
        Page {
            status: 200,
            content_type: content_type.to_string(),
            body,
            headers: Vec::new(),
            delay: Duration::ZERO,
            etag: None,
            chunked: false,
        }
    }

    /// A redirect to `location` with status 302.
    pub fn redirect(location: &str) -> Page {
        Page {
            status: 302,
            headers: vec![("location".into(), location.into())],
            ..Page::typed("text/plain", Vec::new())
        }
    }

    pub fn status(status: u16) -> Page {
        Page {
            status,
            ..Page::typed("text/plain", b"nothing here".to_vec())
        }
    }
}

/// A request the site received.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub headers: HeaderMap,
    pub at: std::time::Instant,
}

#[derive(Default)]
struct Inner {
    pages: Mutex<HashMap<String, Page>>,
    hits: Mutex<Vec<Hit>>,
}

#[derive(Clone)]
pub struct Site {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    inner: Arc<Inner>,
}

impl Site {
    /// Starts the site on a free port of 127.0.0.1, on the current tokio runtime.
    pub async fn start() -> Site {
        let inner = Arc::new(Inner::default());
        let app = axum::Router::new().fallback(answer).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Site { base, inner }
    }

    /// Starts the site on a runtime of its own (for tests that block).
    pub fn start_in_background() -> Site {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                tx.send(Site::start().await).unwrap();
                std::future::pending::<()>().await
            });
        });
        rx.recv().unwrap()
    }

    pub fn put(&self, path: &str, page: Page) {
        self.inner.pages.lock().unwrap().insert(path.to_string(), page);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.inner.hits.lock().unwrap().clone()
    }

    pub fn hits_of(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }
}

async fn answer(State(inner): State<Arc<Inner>>, request: Request<Body>) -> Response<Body> {
    let path = request
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    inner.hits.lock().unwrap().push(Hit {
        path: path.clone(),
        headers: request.headers().clone(),
        at: std::time::Instant::now(),
    });
    let page = inner.pages.lock().unwrap().get(&path).cloned();
    let Some(page) = page else {
        return Response::builder().status(404).body(Body::from("not found")).unwrap();
    };
    tokio::time::sleep(page.delay).await;
    let matches = |etag: &String| {
        request
            .headers()
            .get("if-none-match")
            .is_some_and(|v| v.to_str().ok() == Some(etag.as_str()))
    };
    let mut response = Response::builder();
    if let Some(etag) = &page.etag {
        response = response.header("etag", etag);
        if matches(etag) {
            return response.status(StatusCode::NOT_MODIFIED).body(Body::empty()).unwrap();
        }
    }
    for (k, v) in &page.headers {
        response = response.header(k, v);
    }
    let body = if page.chunked {
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            page.body.chunks(16 * 1024).map(|c| Ok(c.to_vec())).collect();
        Body::from_stream(futures::stream::iter(chunks))
    } else {
        Body::from(page.body)
    };
    response
        .status(page.status)
        .header("content-type", &page.content_type)
        .body(body)
        .unwrap()
}
