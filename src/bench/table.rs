//! The human table of a benchmark report (the JSON is the report itself, serialised).

use super::Report;

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a > 0.0 {
        format!("{:.2}×", a / b)
    } else {
        "–".into()
    }
}

/// The human table.
pub fn table(r: &Report) -> String {
    let mut out = format!(
        "machine: {}{}\n\n",
        r.machine,
        if r.smoke {
            " (smoke run: tiny corpus, figures not meaningful)"
        } else {
            ""
        }
    );
    out.push_str("| documents | MB text | build s | docs/s | MB/s | index MB | peak RSS MB | peer MB/s | peer index MB | indexing ×peer | index size ×peer |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for s in &r.sizes {
        out.push_str(&format!(
            "| {} | {:.1} | {:.2} | {:.0} | {:.1} | {:.1} | {:.0} | {:.1} | {:.1} | {} | {} |\n",
            s.documents,
            s.megabytes,
            s.build_s,
            s.docs_per_s,
            s.mb_per_s,
            s.index_mb,
            s.build_peak_rss_mb,
            s.peer_mb_per_s,
            s.peer_index_mb,
            ratio(s.mb_per_s, s.peer_mb_per_s),
            ratio(s.index_mb, s.peer_index_mb)
        ));
    }
    out.push_str(
        "\n| documents | build CPU s | floor CPU s | CPU ×floor | build s | floor s | wall ×floor | floor index MB | finding names CPU s | share |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for s in &r.sizes {
        out.push_str(&format!(
            "| {} | {:.2} | {:.2} | {} | {:.2} | {:.2} | {} | {:.1} | {:.2} | {} |\n",
            s.documents,
            s.build_cpu_s,
            s.floor_cpu_s,
            ratio(s.build_cpu_s, s.floor_cpu_s),
            s.build_s,
            s.floor_build_s,
            ratio(s.build_s, s.floor_build_s),
            s.floor_index_mb,
            s.names_cpu_s,
            if s.build_cpu_s > 0.0 {
                format!("{:.1}%", 100.0 * s.names_cpu_s / s.build_cpu_s)
            } else {
                "–".into()
            }
        ));
    }
    let runs = r
        .sizes
        .iter()
        .flat_map(|s| s.latency.values())
        .map(|l| l.runs)
        .max()
        .unwrap_or(0);
    out.push_str(&format!(
        "\nLatency: the median of {runs} runs of the query set per percentile, [lowest–highest run].\n\n"
    ));
    out.push_str("| documents | query | p50 µs | p95 µs | p99 µs | peer p50 µs | peer p99 µs | p99 ×peer |\n|---|---|---|---|---|---|---|---|\n");
    let spread = |v: f64, r: [f64; 2]| format!("{v:.0} [{:.0}–{:.0}]", r[0], r[1]);
    for s in &r.sizes {
        for (kind, l) in &s.latency {
            let p = s.peer_latency.get(kind);
            out.push_str(&format!(
                "| {} | {kind} | {} | {:.0} | {} | {} | {} | {} |\n",
                s.documents,
                spread(l.p50_us, l.p50_range_us),
                l.p95_us,
                spread(l.p99_us, l.p99_range_us),
                p.map_or("–".into(), |p| format!("{:.0}", p.p50_us)),
                p.map_or("–".into(), |p| format!("{:.0}", p.p99_us)),
                p.map_or("–".into(), |p| ratio(l.p99_us, p.p99_us)),
            ));
        }
        if let Some(p) = s.peer_latency.get("or_words") {
            out.push_str(&format!(
                "| {} | peer OR of words | – | – | – | {:.0} | {:.0} | ({:.0}% find nothing) |\n",
                s.documents,
                p.p50_us,
                p.p99_us,
                s.peer_or_empty_share * 100.0
            ));
        }
    }
    out.push_str("\n| documents | answers/s ×1 | ×2 | ×8 | ×32 | cold start ms | checked ms | serving peak MB | heap MB | mapped index MB | recall@3 same | cross | peer same | peer cross |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    let pct = |v: Option<f64>| v.map_or("–".into(), |v| format!("{:.0}%", v * 100.0));
    for s in &r.sizes {
        let t = |n: usize| s.throughput.get(&n).map_or("–".into(), |v| format!("{v:.0}"));
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {} | {} | {} | {} |\n",
            s.documents,
            t(1),
            t(2),
            t(8),
            t(32),
            s.cold_start_ms,
            s.cold_start_checked_ms,
            s.serving_peak_mb,
            s.serving_heap_mb,
            s.serving_mapped_mb,
            pct(s.recall_same),
            pct(s.recall_cross),
            pct(s.peer_recall_same),
            pct(s.peer_recall_cross)
        ));
    }
    out
}
