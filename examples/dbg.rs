use dossier::corpus::{read_document, scan};
use dossier::knowledge::discover::discover;
use dossier::rules::Rules;
use dossier::text::Segmenter;
fn main() {
    let rules = Rules::load(std::path::Path::new("data")).unwrap();
    let seg = Segmenter::new(&rules.names);
    let (files, _) = scan(std::path::Path::new(".bench-cache/sets/10000")).unwrap();
    let mut n = 0;
    for f in files.iter().take(10000) {
        let bytes = std::fs::read(&f.path).unwrap();
        let Ok(d) = read_document(f, &bytes, &rules.boilerplate, &mut Vec::new()) else {
            continue;
        };
        let names = discover(&d, &seg, &rules.knowledge, &rules.names);
        for (name, _) in &names.names {
            if n < 30 && name.chars().count() == 2 {
                n += 1;
                println!("{} {:?} pairs={:?}", d.id, name, names.pairs);
                for p in &d.paragraphs {
                    if p.contains(name.as_str()) {
                        println!("   {}", p.chars().take(120).collect::<String>());
                        break;
                    }
                }
            }
        }
    }
}
