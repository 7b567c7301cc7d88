//! `bosun serve` as a process keeps the HTTP edge's configured limits: the same serve function
//! the API tests run, reached through the command line and `BOSUN__SERVER__…` variables.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

mod support;

use std::time::Duration;

use support::Bosun;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bosun_serve_disconnects_a_client_that_sends_half_a_request_head() {
    let bosun = Bosun::sqlite().with_env("BOSUN__SERVER__HEADER_READ_TIMEOUT_SECS", "1");
    let server = bosun.serve(&[]).await;
    let mut stream = TcpStream::connect(server.addr).await.expect("bosun accepts connections");
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: bosun\r\n").await.expect("half a head is written");
    let mut byte = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut byte))
        .await
        .unwrap_or_else(|_| panic!("still connected after 30 s\n--- its output ---\n{}", server.log()));
    assert!(matches!(read, Ok(0) | Err(_)), "closed without an answer: {read:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bosun_serve_sends_hsts_when_its_public_url_is_https() {
    let bosun = Bosun::sqlite().with_env("BOSUN__SERVER__PUBLIC_URL", "https://bosun.northwind.example");
    let server = bosun.serve(&[]).await;
    let res = server.client.get(server.url("/healthz")).send().await.expect("an answer");
    assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}
