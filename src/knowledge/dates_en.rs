//! English temporal expressions, read like the Chinese ones in `dates` and merged with them:
//! `March 3, 2019`, `3 March 2019`, `March 2019`, `in 1997`, `the 1997 crisis`, `(1997)`,
//! `from 1997 to 2001`, `the 1990s`, `Q1 2025`, `early 2020`, `last year`, `this month`,
//! `yesterday`, `on Monday`, `two weeks ago`, `earlier this month`, `last November`,
//! `in November`, `on December 30`. Relative expressions resolve against the publication
//! date and stay undated without one; a month or day without a year takes it like a Chinese
//! bare month (`dates::year_for`).
//!
//! Matching runs on folded (lower-case) text. A bare number is a year only where a year is
//! expected (after `in`, `since`, `the`, in parentheses), and not before a counted noun
//! (`of 2000 people`). Words that are also months (`march`, `may`) only count as a month
//! with a year, or after a preposition (`on May 3`, not `to march 3 miles`). A rule's `lead`
//! group is context, not part of the expression: matches compete from where it ends.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};
use regex::Regex;

use super::dates::{approx, exact, noted, year_for, DateContext, DateMention, PartialDate};

#[derive(Debug, Clone, Copy)]
pub(super) enum EnRule {
    MonthDayYear,
    DayMonthYear,
    MonthYear,
    MonthDay,
    DayMonth,
    Decade,
    Quarter,
    YearPart,
    YearAfterWord,
    YearRange,
    TheYear,
    YearMarked,
    MonthAfterWord,
    RelUnit,
    NearThis,
    Today,
    Weekday,
    Ago,
    RelMonthName,
}

impl EnRule {
    /// Whether the expression names its year, so that a later bare date of the paragraph
    /// takes it (see `dates::Rule::names_year`).
    pub(super) fn names_year(self) -> bool {
        !matches!(
            self,
            EnRule::MonthDay
                | EnRule::DayMonth
                | EnRule::Decade
                | EnRule::MonthAfterWord
                | EnRule::Today
                | EnRule::Weekday
                | EnRule::Ago
        )
    }

    /// Whether the rule ends in a bare number that a counted noun after it makes a count.
    fn ends_in_number(self) -> bool {
        matches!(
            self,
            EnRule::YearAfterWord | EnRule::YearRange | EnRule::TheYear | EnRule::MonthYear
        )
    }
}

const MONTH: &str = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?";
const YEAR: &str = r"((?:1[89]|20|21)\d{2})";
const COUNT: &str =
    r"(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|a couple of|several)";
/// Words before a bare month and day that make it a date (`march 3` alone may be a verb),
/// a weekday included (`on Saturday, May 18`).
const DATE_PREP: &str = r"(?:on|by|since|until|till|from|before|after|through|to|of|and|or|monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+";
/// Words before a month without a day or year that make it a date (`in may`, `by march`).
const MONTH_PREP: &str =
    r"(?:(?:in|since|until|till|by|during|from|through|before|after|early|late|mid|as\s+of)\s+|mid-)";
/// Months named in full: alone, `jan` or `jun` is as often a name (`by Jan Koum`).
const FULL_MONTH: &str = r"(january|february|march|april|may|june|july|august|september|october|november|december)";

pub(super) static RULES: LazyLock<Vec<(EnRule, Regex)>> = LazyLock::new(|| {
    let r = |rule: EnRule, p: String| (rule, Regex::new(&p).unwrap());
    vec![
        r(
            EnRule::MonthDayYear,
            format!(r"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{YEAR}\b"),
        ),
        r(
            EnRule::DayMonthYear,
            format!(r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"),
        ),
        r(EnRule::MonthYear, format!(r"\b{MONTH},?\s+(?:of\s+)?{YEAR}\b")),
        r(
            EnRule::MonthDay,
            format!(r"\b(?P<lead>{DATE_PREP})?{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b"),
        ),
        r(
            EnRule::DayMonth,
            format!(r"\b(?:on\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)\s+(?:of\s+)?{MONTH}\b"),
        ),
        r(EnRule::Decade, r"\b(?:the\s+)?((?:1[89]|20)\d0)s\b".to_string()),
        r(
            EnRule::Quarter,
            format!(r"\b(?:(q[1-4])|(first|second|third|fourth)\s+quarter\s+of)\s+{YEAR}\b"),
        ),
        r(
            EnRule::YearPart,
            format!(
                r"\b(early|mid|late|the\s+end\s+of|end\s+of|the\s+start\s+of|start\s+of|the\s+beginning\s+of|beginning\s+of)[\s-]+{YEAR}\b"
            ),
        ),
        r(
            EnRule::YearAfterWord,
            format!(
                r"\b(?P<lead>(?:in|since|by|from|until|till|through|during|of|before|after|around|circa|year|between|as|early\s+as|late\s+as|soon\s+as)\s+){YEAR}\b"
            ),
        ),
        r(
            EnRule::YearRange,
            format!(r"\b(?P<lead>(?:from|between)\s+){YEAR}\s*(?:to|and|until|till|through|-|–|—)\s*{YEAR}\b"),
        ),
        r(EnRule::TheYear, format!(r"\b(?P<lead>(?:the|a|an)\s+){YEAR}\b")),
        r(EnRule::YearMarked, format!(r"(?:\({YEAR}\)|\b{YEAR}['’]s\b)")),
        r(
            EnRule::MonthAfterWord,
            format!(r"\b(?P<lead>{MONTH_PREP}){FULL_MONTH}\b"),
        ),
        r(
            EnRule::RelUnit,
            r"\b(last|this|next|past)\s+(year|month|week)\b".to_string(),
        ),
        r(
            EnRule::NearThis,
            r"\b(earlier|later)\s+this\s+(year|month|week)\b".to_string(),
        ),
        r(EnRule::Today, r"\b(yesterday|today|tomorrow)\b".to_string()),
        r(
            EnRule::Weekday,
            r"\b(?:on|last|this|next)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b".to_string(),
        ),
        r(EnRule::Ago, format!(r"\b{COUNT}\s+(day|week|month|year)s?\s+ago\b")),
        r(EnRule::RelMonthName, format!(r"\b(last|this|next)\s+{MONTH}\b")),
    ]
});

fn month_of(name: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let name = name.trim_end_matches('.');
    NAMES.iter().position(|m| name.starts_with(m)).map(|i| i as u32 + 1)
}

fn count_of(s: &str) -> Option<u32> {
    Some(match s {
        "a" | "an" | "one" => 1,
        "two" | "a couple of" => 2,
        "three" | "a few" | "several" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        n => n.parse().ok()?,
    })
}

/// A month and day with no year: the year the paragraph named, else the publication year,
/// or the year before when the date would fall after the page was published.
/// The weekday a lead names (`friday, ` of `friday, dec. 6`).
fn weekday_of(lead: &str) -> Option<Weekday> {
    lead.trim_end_matches([',', ' ']).trim().parse::<Weekday>().ok()
}

/// A month and day with the weekday they fall on (`Friday, Dec. 6`): the year, next to the
/// page's, in which that day is that weekday. Without a page date, or when no nearby year
/// fits, the weekday decides nothing.
fn dated_by_weekday(month: u32, day: u32, weekday: Weekday, ctx: &DateContext) -> Option<DateMention> {
    let published = ctx.published?;
    let year = published.year();
    let date = [year, year - 1, year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .filter(|d| d.weekday() == weekday)
        .min_by_key(|d| (*d - published).num_days().abs())?;
    // The note quotes the words; the year is inferred, so the date is approximate.
    approx(PartialDate::day(date), None)
}

fn yearless(month: u32, day: u32, ctx: &DateContext) -> Option<DateMention> {
    let year = year_for(month, Some(day), ctx)?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    approx(PartialDate::day(date), None)
}

/// Nouns counted by a number before them: `of 2000 people` is no year.
const COUNTED: &str = "\
    people persons men women children kids copies units employees workers staff jobs troops \
    soldiers police officers votes cases deaths dollars yuan euros pounds tons tonnes \
    barrels acres hectares miles kilometres kilometers km metres meters feet ft kg years \
    days hours minutes times residents students users customers households homes houses cars \
    vehicles pages words rooms beds calories shares members participants patients visitors \
    signatures percent of additional extra";

/// A month and day right after a weekday (`, may 18`).
static WEEKDAY_THEN_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^,?\s+{MONTH}\s+\d{{1,2}}\b")).unwrap());

/// A match (`matched`) of rule `index` that the words after it (`rest`) show is no date: a
/// year rule's number counting something (`of 2000 people`), a weekday naming the date that
/// follows it, or `this may` before a verb (`this may help`).
pub(super) fn refused(index: usize, matched: &str, rest: &str) -> bool {
    let Some((rule, _)) = RULES.get(index) else {
        return true;
    };
    let next = rest
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    match rule {
        r if r.ends_in_number() => COUNTED.split_whitespace().any(|w| w == next),
        // `on Saturday, May 18`: the weekday names the day the date gives.
        EnRule::Weekday => WEEKDAY_THEN_DATE.is_match(rest),
        EnRule::RelMonthName => {
            // After `this`/`last`, `may` is the month only before a pause or a new clause.
            const CLAUSE: &[&str] = &[
                "", "the", "a", "an", "and", "or", "but", "when", "after", "before", "in", "on", "at", "to", "for",
                "with", "as", "we", "they", "he", "she", "it", "i", "you", "its", "their",
            ];
            matched.ends_with("may") && !CLAUSE.contains(&next)
        }
        _ => false,
    }
}

pub(super) fn resolve(rule: EnRule, c: &regex::Captures, ctx: &DateContext) -> Option<DateMention> {
    let g = |i: usize| c.get(i).map(|m| m.as_str());
    let int = |i: usize| g(i).and_then(|s| s.parse::<i32>().ok());
    let published = ctx.published;
    match rule {
        EnRule::MonthDayYear => {
            let d = NaiveDate::from_ymd_opt(int(3)?, month_of(g(1)?)?, int(2)? as u32)?;
            exact(PartialDate::day(d))
        }
        EnRule::DayMonthYear => {
            let d = NaiveDate::from_ymd_opt(int(3)?, month_of(g(2)?)?, int(1)? as u32)?;
            exact(PartialDate::day(d))
        }
        EnRule::MonthYear => exact(PartialDate::month(int(2)?, month_of(g(1)?)?)?),
        EnRule::MonthDay => {
            let month = g(2)?;
            // `march 3`, `may 4` without a preposition, or after one that also leads a verb
            // (`to march 3 miles`, `and may 4 times`), are more often verbs than dates.
            let verb_lead = g(1).is_none_or(|l| matches!(l.trim(), "to" | "and" | "or"));
            if verb_lead && (month.starts_with("mar") || month == "may") {
                return None;
            }
            let (month, day) = (month_of(month)?, int(3)? as u32);
            match g(1).and_then(weekday_of) {
                Some(weekday) => dated_by_weekday(month, day, weekday, ctx).or_else(|| yearless(month, day, ctx)),
                None => yearless(month, day, ctx),
            }
        }
        EnRule::DayMonth => yearless(month_of(g(2)?)?, int(1)? as u32, ctx),
        EnRule::Decade => {
            let y = int(1)?;
            approx(PartialDate::year(y), Some(format!("{y}s")))
        }
        EnRule::Quarter => {
            let y = int(3)?;
            let q = match (g(1), g(2)) {
                (Some(q), _) => q[1..].parse().ok()?,
                (None, Some(word)) => ["first", "second", "third", "fourth"].iter().position(|w| *w == word)? + 1,
                _ => return None,
            };
            noted(PartialDate::year(y), format!("{y} Q{q}"))
        }
        EnRule::YearPart => {
            let y = int(2)?;
            let part = g(1)?;
            let month = if part == "mid" {
                6
            } else if part == "late" || part.contains("end") {
                12
            } else {
                1
            };
            approx(
                PartialDate::month(y, month)?,
                Some(format!("≈ {y}-{month:02}, \"{part} {y}\"")),
            )
        }
        EnRule::YearAfterWord => exact(PartialDate::year(int(2)?)),
        EnRule::YearRange => {
            let (a, b) = (int(2)?, int(3)?);
            (a < b).then_some(())?;
            approx(PartialDate::year(a), Some(format!("{a}—{b}")))
        }
        EnRule::TheYear => exact(PartialDate::year(int(2)?)),
        EnRule::YearMarked => exact(PartialDate::year(int(1).or(int(2))?)),
        EnRule::MonthAfterWord => {
            let month = month_of(g(2)?)?;
            let date = PartialDate::month(year_for(month, None, ctx)?, month)?;
            match g(1)?.trim().trim_end_matches('-') {
                "early" | "late" | "mid" => approx(date, None),
                _ => exact(date),
            }
        }
        EnRule::RelUnit => {
            let p = published?;
            let step: i32 = match g(1)? {
                "last" | "past" => -1,
                "next" => 1,
                _ => 0,
            };
            match g(2)? {
                "year" => exact(PartialDate::year(p.year() + step)),
                "month" => {
                    let d = shift_months(p, step)?;
                    exact(PartialDate::month(d.year(), d.month())?)
                }
                _ => approx(PartialDate::day(p + Duration::weeks(step.into())), None),
            }
        }
        EnRule::NearThis => {
            let p = published?;
            match g(2)? {
                "year" => approx(PartialDate::year(p.year()), None),
                "month" => approx(PartialDate::month(p.year(), p.month())?, None),
                _ => approx(PartialDate::day(p), None),
            }
        }
        EnRule::Today => {
            let p = published?;
            let d = match g(1)? {
                "yesterday" => p - Duration::days(1),
                "tomorrow" => p + Duration::days(1),
                _ => p,
            };
            exact(PartialDate::day(d))
        }
        EnRule::Weekday => {
            let p = published?;
            let day: Weekday = g(1)?.parse().ok()?;
            let text = c.get(0)?.as_str();
            // The last such day up to the page's date; `next`, or a sentence about the
            // future (`will meet on monday`), looks ahead.
            let back = (7 + p.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
            let d = if text.starts_with("next") || (ctx.future && text.starts_with("on")) {
                p + Duration::days(i64::from(7 - back))
            } else if text.starts_with("last") && back == 0 {
                p - Duration::days(7)
            } else {
                p - Duration::days(i64::from(back))
            };
            noted(PartialDate::day(d), format!("{d}, \"{text}\""))
        }
        EnRule::Ago => {
            let p = published?;
            let n = count_of(g(1)?)?;
            let date = match g(2)? {
                "day" => PartialDate::day(p - Duration::days(n.into())),
                "week" => PartialDate::day(p - Duration::weeks(n.into())),
                "month" => {
                    let d = p.checked_sub_months(Months::new(n))?;
                    PartialDate::month(d.year(), d.month())?
                }
                _ => PartialDate::year(p.year() - n as i32),
            };
            approx(date, None)
        }
        EnRule::RelMonthName => {
            let p = published?;
            let month = month_of(g(2)?)?;
            let year = match g(1)? {
                // The last one before this month: `last November` in February 2019 is 2018-11.
                "last" if month < p.month() => p.year(),
                "last" => p.year() - 1,
                "next" if month > p.month() => p.year(),
                "next" => p.year() + 1,
                _ => p.year(),
            };
            exact(PartialDate::month(year, month)?)
        }
    }
}

fn shift_months(d: NaiveDate, step: i32) -> Option<NaiveDate> {
    if step < 0 {
        d.checked_sub_months(Months::new(step.unsigned_abs()))
    } else {
        d.checked_add_months(Months::new(step as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::super::dates::find_dates;
    use super::*;

    /// Every expression read in a page published on Friday 2019-02-15.
    fn read(text: &str) -> Vec<String> {
        let mut ctx = DateContext::new(NaiveDate::from_ymd_opt(2019, 2, 15));
        find_dates(&crate::text::fold(text), &mut ctx)
            .into_iter()
            .map(|m| m.date.to_string())
            .collect()
    }

    #[test]
    fn absolute_dates() {
        assert_eq!(read("On March 3, 2019 the board met."), ["2019-03-03"]);
        assert_eq!(read("It closed on 3 March 2019."), ["2019-03-03"]);
        assert_eq!(read("Signed Sept. 21st, 2018 in Paris"), ["2018-09-21"]);
        assert_eq!(read("the report of 2019-03-03"), ["2019-03-03"]);
        assert_eq!(read("In March 2019, sales fell."), ["2019-03"]);
        assert_eq!(read("In 1997, President Bill Clinton imposed sanctions."), ["1997"]);
        assert_eq!(read("It has grown since 2015."), ["2015"]);
        assert_eq!(read("Prices rose in the 1990s."), ["1990"]);
        assert_eq!(
            read("Revenue in Q1 2025 and the third quarter of 2024"),
            ["2025", "2024"]
        );
        assert_eq!(
            read("by early 2020, then mid-2021 and late 2022"),
            ["2020-01", "2021-06", "2022-12"]
        );
    }

    #[test]
    fn relative_dates_resolve_against_the_page_date() {
        assert_eq!(read("Last year profits doubled."), ["2018"]);
        assert_eq!(read("this year"), ["2019"]);
        assert_eq!(read("next month"), ["2019-03"]);
        assert_eq!(read("last month"), ["2019-01"]);
        assert_eq!(read("last week"), ["2019-02-08"]);
        assert_eq!(read("Yesterday the shares fell."), ["2019-02-14"]);
        assert_eq!(read("The deal was announced on Monday."), ["2019-02-11"]);
        assert_eq!(read("He resigned two weeks ago."), ["2019-02-01"]);
        assert_eq!(read("three months ago"), ["2018-11"]);
        assert_eq!(read("earlier this month"), ["2019-02"]);
        assert_eq!(read("last November"), ["2018-11"]);
        assert_eq!(read("next March"), ["2019-03"]);
        // A weekday before the date it falls on is not a second, relative date.
        // (18 May is a Saturday in 2019: the weekday outweighs the past tense.)
        assert_eq!(read("It happened at 6:38 p.m. on Saturday, May 18."), ["2019-05-18"]);
        assert_eq!(read("on Friday, Feb. 8 the talks ended"), ["2019-02-08"]);
        // The weekday tells the year: 6 December is a Friday in 2019, not in 2018.
        assert_eq!(read("Tickets go on sale at 10 a.m. Friday, Dec. 6."), ["2019-12-06"]);
        assert_eq!(read("The rally was on Thursday, Dec. 6."), ["2018-12-06"]);
    }

    #[test]
    fn yearless_days_take_the_page_year_or_the_one_before() {
        assert_eq!(read("The talks began on February 2."), ["2019-02-02"]);
        // December 30 read in a page from February is last December.
        assert_eq!(read("on December 30 the firm filed"), ["2018-12-30"]);
        assert_eq!(read("on the 4th of January"), ["2019-01-04"]);
        // A year named earlier in the paragraph is the year of a later bare date.
        assert_eq!(read("In 2016, talks began on June 1."), ["2016", "2016-06-01"]);
    }

    #[test]
    fn words_that_are_not_dates() {
        assert!(read("Protesters march 3 miles to the square.").is_empty());
        assert!(read("Prices may 5 times higher").is_empty());
        assert!(read("It sold 1997 copies.").is_empty());
        assert!(read("a today show").len() <= 1);
        // Without a page date, relative expressions stay undated.
        let mut ctx = DateContext::new(None);
        assert!(find_dates("last year and two weeks ago", &mut ctx).is_empty());
    }

    /// The note of the first expression read in the page of 2019-02-15.
    fn note(text: &str) -> String {
        let mut ctx = DateContext::new(NaiveDate::from_ymd_opt(2019, 2, 15));
        let found = find_dates(&crate::text::fold(text), &mut ctx);
        found.first().and_then(|m| m.note.clone()).unwrap_or_default()
    }

    #[test]
    fn bare_years_where_a_year_is_expected() {
        assert_eq!(read("The 1997 Asian financial crisis spread."), ["1997"]);
        assert_eq!(read("Hong Kong's handover (1997) was peaceful."), ["1997"]);
        assert_eq!(read("1997's crisis"), ["1997"]);
        assert_eq!(read("Then a 2018 analysis of the data found plumes."), ["2018"]);
        assert_eq!(read("The probe will fly as soon as 2023."), ["2023"]);
        // A count after the article is no year.
        assert!(read("The firm sold a 2000 units.").is_empty());
        assert_eq!(read("He served from 1997 to 2001."), ["1997"]);
        assert_eq!(note("He served from 1997 to 2001."), "1997—2001");
        assert_eq!(note("Prices rose in the 1990s."), "1990s");
        assert_eq!(note("Revenue in Q1 2025 rose"), "2025 Q1");
        assert_eq!(
            read("It rained in early 2020, mid 2020 and late 2020"),
            ["2020-01", "2020-06", "2020-12"]
        );
    }

    #[test]
    fn relative_units_of_this_next_and_last() {
        assert_eq!(read("next year"), ["2020"]);
        assert_eq!(read("this month"), ["2019-02"]);
        assert_eq!(read("this week"), ["2019-02-15"]);
        assert_eq!(read("next week"), ["2019-02-22"]);
        assert_eq!(read("earlier this year"), ["2019"]);
        assert_eq!(read("The talks will resume on Monday."), ["2019-02-18"]);
        assert_eq!(read("The talks ended last Friday."), ["2019-02-08"]);
    }

    #[test]
    fn yearless_months_look_back_from_the_page() {
        assert_eq!(read("Output fell in November."), ["2018-11"]);
        assert_eq!(read("Output fell in February."), ["2019-02"]);
        assert_eq!(read("Output fell in early November"), ["2018-11"]);
        assert_eq!(read("The plant closed on February 20."), ["2018-02-20"]);
        assert_eq!(read("The vote will be held on February 20."), ["2019-02-20"]);
        assert_eq!(read("It closed on February 16."), ["2019-02-16"], "a day's grace");
        // A year the paragraph named holds; one read from the page's date does not.
        assert_eq!(read("In 2017, output fell in November."), ["2017", "2017-11"]);
        let mut ctx = DateContext::new(NaiveDate::from_ymd_opt(2019, 1, 2));
        let found: Vec<String> = find_dates("yesterday we learnt that on december 30 it closed", &mut ctx)
            .into_iter()
            .map(|m| m.date.to_string())
            .collect();
        assert_eq!(found, ["2019-01-01", "2018-12-30"]);
    }

    #[test]
    fn verbs_counts_and_numbers_are_not_dates() {
        for text in [
            "Prices may rise.",
            "This may help.",
            "This may be the end.",
            "They plan to march 3 miles to the square.",
            "Workers march on the capital.",
            "Shares may 4 times",
            "More than 2000 people attended.",
            "a crowd of 2000 people",
            "the 2000 people who came",
            "It cost $1997.",
            "Call 010-6512-2000 or +1 202-555-1997.",
            "Windows 10 shipped.",
            "The iPhone 8 sold well.",
            "They won 3-2.",
            "Windows 2000 is old.",
            "A letter from Jan Koum",
            "By Jan Koum and June Smith",
        ] {
            assert!(read(text).is_empty(), "{text} gave {:?}", read(text));
        }
        assert_eq!(read("It cost $1997 in 2019."), ["2019"]);
        assert_eq!(read("The 2000 election was close."), ["2000"]);
        assert_eq!(read("In 2019 more people voted."), ["2019"]);
        assert_eq!(read("Output fell in mid-November"), ["2018-11"]);
        assert_eq!(read("They left this May, as planned"), ["2019-05"]);
        assert_eq!(read("We will march on May 3."), ["2019-05-03"]);
    }
}
