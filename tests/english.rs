//! English questions and phrases on an English-only corpus: stemming, soft coverage,
//! fragments below sentences, the exact phrase first, a colon carrying its list, and words
//! that match nothing named while the rest still answers.
//!
//! The corpus is written here, newswire-style, with distractors built to catch each rule: a
//! gallery caption and a headline that share the question's words, passages that hold the
//! phrase's words apart, a list introduced by a colon.

mod common;

use common::write;

use std::fs;
use std::sync::OnceLock;

use dossier::engine::{Engine, Response};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(Engine, tempfile::TempDir)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let corpus = dir.path().join("corpus");
            fs::create_dir(&corpus).unwrap();
            write(
                &corpus,
                "verizon.txt",
                "Verizon agrees to buy Yahoo's core business\n\n\
                 Verizon Communications agreed to pay $4.83 billion in cash for Yahoo's core internet business, the companies said on Monday.\n\n\
                 The deal ends Yahoo's two decades as an independent company.\n\n\
                 Yahoo shareholders will keep the company's stake in Alibaba, worth about $31 billion.\n",
            );
            write(
                &corpus,
                "xbox.txt",
                "Xbox One X review: the most powerful console yet\n\n\
                 Gallery: Xbox One X | 14 Photos\n\n\
                 Xbox One X\n\n\
                 The Xbox One X is Microsoft's most powerful console, and it is smaller than any Xbox before it.\n\n\
                 The Xbox One X weighs 8.4 pounds, slightly more than the original Xbox One.\n\n\
                 Microsoft says the console will sell for $499 when it launches in November.\n",
            );
            write(
                &corpus,
                "groceries.txt",
                "Amazon shakes up the grocery business\n\n\
                 Amazon agreed to buy Whole Foods Market for $13.7 billion, or $42 a share, in its largest acquisition.\n\n\
                 Shares of rival grocers fell sharply on the news.\n\n\
                 Whole Foods will keep its name and its headquarters in Austin, Texas.\n",
            );
            write(
                &corpus,
                "reorg.txt",
                "A new structure for the cloud company\n\n\
                 After the reorganisation the company now has four divisions:\n\n\
                 • Cloud infrastructure, led by the former chief technology officer.\n\n\
                 • Consumer devices, including phones and watches.\n\n\
                 • Advertising, the largest source of revenue.\n\n\
                 • Research, which reports directly to the chief executive.\n\n\
                 Employees learned of the change in an internal memo on Tuesday.\n",
            );
            write(
                &corpus,
                "trucks.txt",
                "Electric trucks arrive\n\n\
                 Tesla delivered the first electric truck to PepsiCo on Thursday at its Nevada factory.\n\n\
                 Tesla, Tesla, Tesla: the first trucks Tesla showed in 2017 were the first Tesla trucks of a first generation, and deliveries were expected long before.\n",
            );
            write(
                &corpus,
                "slogan.txt",
                "South Dakota defends its anti-meth campaign\n\n\
                 South Dakota Gov. Kristi Noem is defending the state's anti-meth campaign, whose slogan drew laughter online.\n\n\
                 The campaign, which includes both digital and TV ads, cost the state roughly $449,000, officials said.\n\n\
                 Critics in South Dakota said the meth slogan was a joke at the state's expense.\n",
            );
            write(
                &corpus,
                "fund.txt",
                "Fund notes\n\n\
                 In cash terms the billion-dollar fund agreed to a plan: pay 4.83 percent in cash, pay cash again, and pay a billion in cash when agreed.\n",
            );
            write(
                &corpus,
                "distractor.txt",
                "Markets wrap\n\n\
                 The board said it would pay a dividend, and analysts agreed the price was fair; separately, the team said it would build a new lab for the super intelligence effort next year.\n\n\
                 Investors bought shares of several companies in cash deals this week, as the market for internet businesses heated up again after a quiet summer.\n",
            );
            // The corpus's own curated names: an alias the text never states, and a name no
            // document mentions.
            write(
                &corpus,
                "entities.toml",
                "[[entity]]\nkind = \"org\"\nname = \"Whole Foods Market\"\naliases = [\"WFM\"]\n\n\
                 [[entity]]\nkind = \"person\"\nname = \"Zorblax Pemberton\"\naliases = []\n",
            );
            let index = dir.path().join("index");
            let engine = common::open(&corpus, &index);
            (engine, dir)
        })
        .0
}

fn ask(line: &str) -> Response {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let channel = format!("en-{}", N.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
    engine().answer_line(&channel, line)
}

fn top(r: &Response) -> &str {
    r.items
        .first()
        .map(|i| i.text.as_str())
        .unwrap_or_else(|| panic!("no answer: {r:#?}"))
}

#[test]
fn inflected_question_words_find_the_sentence_by_stem() {
    // The text says "agreed to pay"; the question "agree to pay": every content word is only
    // in the passage through its stem, and "price" is in no passage of that document.
    let r = ask("What price did Verizon agree to pay for Yahoo?");
    assert!(top(&r).contains("$4.83 billion"), "{r:#?}");
    let h = &r.items[0].highlights;
    let highlighted: Vec<String> = h
        .iter()
        .map(|[s, e]| top(&r).chars().skip(*s).take(e - s).collect())
        .collect();
    assert!(highlighted.iter().any(|w| w == "agreed"), "{highlighted:?}");
}

#[test]
fn a_sentence_outranks_captions_and_headlines_with_the_same_words() {
    // The headline, a gallery caption and a bare label hold every word of the question, and
    // are shorter (BM25 favours them); the sentence says what the thing is.
    let r = ask("What is the Xbox One X?");
    let first = &r.items[0];
    assert!(
        first.citation.paragraph > 0 && top(&r).ends_with('.') && top(&r).starts_with("The Xbox One X "),
        "{r:#?}"
    );
    let r = ask("How heavy is the Xbox One X?");
    assert!(top(&r).contains("8.4 pounds"), "{r:#?}");
}

#[test]
fn inflections_of_every_word_match_where_exact_words_do_not() {
    // The answer says "delivered … truck"; the distractor repeats "Tesla", "first" and
    // "trucks" and has "deliveries", which is not the verb's stem.
    let r = ask("When did Tesla deliver its first trucks?");
    assert!(top(&r).contains("PepsiCo"), "{r:#?}");
    let r = ask("/source Tesla delivering trucks");
    assert!(top(&r).contains("PepsiCo"), "{r:#?}");
}

#[test]
fn a_question_is_answered_on_an_english_only_corpus() {
    let r = ask("How much did Amazon pay to buy Whole Foods?");
    assert!(top(&r).contains("$13.7 billion"), "{r:#?}");
}

#[test]
fn a_sentence_answers_with_the_subject_its_headline_gives() {
    // The answer names neither South Dakota nor meth: its headline does. The other
    // paragraphs name the subject but give no amount.
    let r = ask("How much did South Dakota's meth campaign cost?");
    assert!(top(&r).contains("$449,000"), "{r:#?}");
}

#[test]
fn the_exact_phrase_ranks_first() {
    // Every word of the phrase is also in the distractor, more often and spread out.
    let r = ask("/source agreed to pay $4.83 billion in cash");
    assert!(top(&r).contains("agreed to pay $4.83 billion in cash"), "{r:#?}");
}

#[test]
fn a_passage_ending_in_a_colon_carries_its_list() {
    let r = ask("How many divisions does the company have now?");
    let item = r
        .items
        .iter()
        .find(|i| i.text.contains("four divisions"))
        .unwrap_or_else(|| panic!("{r:#?}"));
    for part in ["Cloud infrastructure", "Consumer devices", "Advertising", "Research"] {
        assert!(item.text.contains(part), "{part} missing from {}", item.text);
    }
    assert!(!item.text.contains("internal memo"), "the list ends where its items do");
    let c = &item.citation;
    assert_eq!(c.last_paragraph, Some(c.paragraph + 4), "{c:?}");
}

#[test]
fn words_that_match_nothing_are_named_and_the_rest_still_answers() {
    let r = ask("How much did Verizon pay for Yahoo's zorblaxian business?");
    assert!(top(&r).contains("$4.83 billion"), "{r:#?}");
    let message = common::message(&r).unwrap_or_default();
    assert!(message.contains("zorblaxian"), "{message}");
}

#[test]
fn junk_words_alone_still_find_nothing() {
    let r = ask("/source zorblaxian quantum marmalade");
    assert!(r.items.is_empty(), "{r:#?}");
}

#[test]
fn no_curated_names_of_another_corpus_apply() {
    // The bundled corpus curates "FAIR" (a research lab); this corpus has no names file, so
    // "fair" in "the price was fair" is nobody.
    let r = ask("/who FAIR");
    assert!(r.items.is_empty(), "{r:#?}");
    let bundled = std::fs::read_to_string(common::repo().join("data/corpus/entities.toml")).unwrap();
    assert!(
        bundled.contains("\"FAIR\""),
        "the bundled corpus curates the name this test relies on"
    );
}

#[test]
fn the_corpus_names_file_is_read_and_never_indexed() {
    // The alias is only in the names file; it reaches the organisation's passages.
    let r = ask("/who WFM");
    assert!(r.items.iter().any(|i| i.text.contains("Whole Foods")), "{r:#?}");
    // The file is no document.
    let r = ask("/source Zorblax Pemberton");
    assert!(r.items.is_empty(), "{r:#?}");
    // A curated name no document mentions is never suggested.
    let r = ask("/who Zorblax Pemberto");
    let message = common::message(&r).unwrap_or_default();
    assert!(
        message.starts_with("No one called") && !message.contains("Zorblax Pemberton"),
        "{message}"
    );
}
