//! Keeps `dossier bench` from rotting: the whole benchmark pipeline (corpus sets, index builds,
//! every query kind, concurrency, cold start, recall, the bare tantivy floor, the FTS5 peer,
//! serving memory) runs on a tiny corpus made
//! from the bundled documents. Timings are never asserted; a shared CI machine makes them noise.
//! What is asserted is that every measurement is present and that retrieval really works.

use std::process::Command;

#[test]
fn smoke_benchmark_measures_everything() {
    let cache = tempfile::tempdir().unwrap();
    let json = cache.path().join("results.json");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["bench", "--smoke", "--cache"])
        .arg(cache.path())
        .arg("--json")
        .arg(&json)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("| documents |"), "a human table is printed: {stdout}");

    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["smoke"], true);
    let sizes = report["sizes"].as_array().unwrap();
    assert!(sizes.len() >= 2, "several corpus sizes: {sizes:?}");
    let docs: Vec<u64> = sizes.iter().map(|s| s["documents"].as_u64().unwrap()).collect();
    assert!(docs.windows(2).all(|w| w[0] < w[1]), "sizes grow: {docs:?}");

    for size in sizes {
        for key in [
            "build_s",
            "docs_per_s",
            "mb_per_s",
            "index_mb",
            "cold_start_ms",
            "peer_mb_per_s",
            "floor_build_s",
            "floor_index_mb",
            "serving_peak_mb",
            "serving_heap_mb",
            "serving_mapped_mb",
        ] {
            assert!(size[key].as_f64().is_some_and(|v| v > 0.0), "{key} measured: {size}");
        }
        for kind in ["source", "ask", "who", "timeline", "cache_hit"] {
            let l = &size["latency"][kind];
            assert!(l["n"].as_u64().is_some_and(|n| n > 0), "{kind} has queries: {size}");
            let (p50, p99) = (l["p50_us"].as_f64().unwrap(), l["p99_us"].as_f64().unwrap());
            assert!(p50 > 0.0 && p50 <= p99, "{kind}: percentiles are ordered");
            assert_eq!(l["runs"], 3, "{kind}: the query set runs three times by default");
            let range = |key: &str, median: f64| {
                let r: Vec<f64> = l[key].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
                assert!(
                    r[0] <= median && median <= r[1],
                    "{kind}: {key} {r:?} holds the median {median}"
                );
            };
            range("p50_range_us", p50);
            range("p99_range_us", p99);
        }
        for callers in ["1", "2", "8", "32"] {
            assert!(
                size["throughput"][callers].as_f64().is_some_and(|v| v > 0.0),
                "×{callers}"
            );
        }
        // The bundled documents mix scripts; their titles must find them in either script.
        assert_eq!(size["recall_same"].as_f64(), Some(1.0), "{size}");
        assert_eq!(size["recall_cross"].as_f64(), Some(1.0), "{size}");
        assert!(size["peer_recall_cross"].as_f64().is_some(), "the peer is measured too");
        // The floor's CPU time may round to 0 on a tiny corpus (the kernel counts in 10 ms).
        assert!(size["floor_cpu_s"].as_f64().is_some_and(|v| v >= 0.0), "{size}");
        assert!(
            size["serving_heap_mb"].as_f64() <= size["serving_peak_mb"].as_f64(),
            "the heap at the end is within the peak: {size}"
        );
    }
}
