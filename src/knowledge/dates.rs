//! Temporal expressions in Chinese news text, normalised to `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
//!
//! Absolute expressions (`2023年2月`, `2025 年第一季度`, `2023—2024年`, `上世纪90年代`) stand
//! on their own. Relative ones (`去年年底`, `今年1月`, `本周`, `周一`, `3个月后`) and bare
//! months (`5月`, `12月30日`, `四季度`) are resolved against the document's publication date,
//! or against a year the same paragraph already named; without either they are left undated
//! rather than guessed. A bare month or day later than the publication date is last year's
//! (news looks back) unless the sentence speaks of the future. The date carries only the
//! precision the text supports, and a note says when it is approximate.
//!
//! Matching runs on folded text (Simplified, half-width digits), so both scripts and both
//! digit widths are read alike.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, Months, NaiveDate};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::text::patterns::AnyOf;

/// A date with the precision the text gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    pub fn year(year: i32) -> PartialDate {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    pub fn month(year: i32, month: u32) -> Option<PartialDate> {
        (1..=12).contains(&month).then_some(PartialDate {
            year,
            month: Some(month),
            day: None,
        })
    }

    pub fn day(d: NaiveDate) -> PartialDate {
        PartialDate {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }

    /// Sortable key: `YYYYMMDD` with unknown parts as 00, so a year sorts before its months.
    pub fn key(&self) -> u64 {
        (self.year.max(0) as u64) * 10_000 + self.month.unwrap_or(0) as u64 * 100 + self.day.unwrap_or(0) as u64
    }

    /// The last key this date covers (`2025` covers up to `20251299`).
    pub fn end_key(&self) -> u64 {
        let m = self.month.map_or(12, |m| m) as u64;
        let d = self.day.map_or(99, |d| d) as u64;
        (self.year.max(0) as u64) * 10_000 + m * 100 + d
    }

    /// Parses `2025`, `2025-07`, `2025-07-15` (also `2025/7`, `2025年7月15日`).
    pub fn parse(s: &str) -> Option<PartialDate> {
        static FORM: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*[日号]?)?)?)?\s*$").unwrap()
        });
        let folded = crate::text::fold(s);
        let c = FORM.captures(&folded)?;
        let year: i32 = c[1].parse().ok()?;
        match (c.get(2), c.get(3)) {
            (None, _) => Some(PartialDate::year(year)),
            (Some(m), None) => PartialDate::month(year, m.as_str().parse().ok()?),
            (Some(m), Some(d)) => {
                NaiveDate::from_ymd_opt(year, m.as_str().parse().ok()?, d.as_str().parse().ok()?).map(PartialDate::day)
            }
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => write!(f, "{:04}-{m:02}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

/// One temporal expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Byte range of the expression in the (folded) text that was searched.
    pub start: usize,
    pub end: usize,
    pub date: PartialDate,
    pub approximate: bool,
    /// How the date was read, when that is not obvious: the date and the words it was read
    /// from (`≈ 2025-12, "去年年底"`), in no language of its own.
    pub note: Option<String>,
}

/// What earlier text tells about later expressions: the publication date, and the year last
/// named in the same paragraph (for bare months such as `5月`).
#[derive(Debug, Clone, Default)]
pub struct DateContext {
    pub published: Option<NaiveDate>,
    pub last_year: Option<i32>,
    /// The last date of month precision named in the paragraph, anchor of `3个月后`.
    pub last_month: Option<PartialDate>,
    /// Whether the text being read speaks of the future (`将于`, `will`): set by `find_dates`
    /// for each text, it keeps a later bare month in the publication year.
    pub future: bool,
}

impl DateContext {
    pub fn new(published: Option<NaiveDate>) -> DateContext {
        DateContext {
            published,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Rule {
    FullDate,
    IsoDate,
    YearMonth,
    YearRange,
    YearQuarter,
    YearHalf,
    YearPart,
    YearSeason,
    BirthYear,
    Year,
    Decade,
    RelMonth,
    RelQuarter,
    RelHalf,
    RelPart,
    RelSeason,
    RelYear,
    ThisMonth,
    ThisWeek,
    Today,
    Offset,
    PastSpan,
    BareMonth,
    BarePart,
    BareQuarter,
    Weekday,
}

impl Rule {
    /// Whether the expression names its year (`2019年`, `去年`), so that a later bare month
    /// of the paragraph takes it; a year read from the page's date (`昨天`, `5月`) does not.
    fn names_year(self) -> bool {
        !matches!(
            self,
            Rule::BirthYear
                | Rule::Decade
                | Rule::ThisMonth
                | Rule::ThisWeek
                | Rule::Today
                | Rule::Offset
                | Rule::PastSpan
                | Rule::BareMonth
                | Rule::BarePart
                | Rule::BareQuarter
                | Rule::Weekday
        )
    }
}

/// Years named relative to the publication date; `上年` (the previous year, as in `上年11月`,
/// `上年同期`) only counts before a month or part of a year, not in `上年纪`.
const REL_YEAR: &str = "(今年|去年|前年|明年|后年|上一年|上年)";
const REL_YEAR_ALONE: &str = "(今年|去年|前年|明年|后年|上一年|上年度|上年同期)";
/// A part of a month after `本月`, `上个月`: then the month is approximate.
const MONTH_PART: &str = "(早些时候|晚些时候|稍早|稍后|初|底|末|上旬|中旬|下旬)";
const NUM: &str = "(\\d+|[一二两三四五六七八九十半]+)";

static RULES: LazyLock<Vec<(Rule, Regex)>> = LazyLock::new(|| {
    let r = |rule: Rule, p: &str| (rule, Regex::new(p).unwrap());
    vec![
        r(Rule::FullDate, r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
        r(Rule::IsoDate, r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
        r(
            Rule::YearMonth,
            r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(上旬|中旬|下旬|初|底|末)?",
        ),
        r(Rule::YearRange, r"(\d{4})\s*年?\s*(?:—|–|-|~|～|至|到)\s*(\d{4})\s*年"),
        r(Rule::YearQuarter, r"(\d{4})\s*年\s*(?:第\s*)?([一二三四1-4])\s*季度"),
        r(Rule::YearHalf, r"(\d{4})\s*年\s*(上半年|下半年)"),
        r(Rule::YearPart, r"(\d{4})\s*年\s*(年底|年初|年中|年末|底|初|末)"),
        r(
            Rule::YearSeason,
            r"(\d{4})\s*年\s*(春天|夏天|秋天|冬天|春季|夏季|秋季|冬季)",
        ),
        r(Rule::BirthYear, r"(\d{2})\s*年\s*(?:生人|出生|生)"),
        r(Rule::Year, r"(\d{4})\s*年"),
        r(
            Rule::Decade,
            r"(上世纪|二十世纪|20世纪|本世纪|21世纪)?\s*(?:(\d{4})|(\d{2})|([一二三四五六七八九])[一二三四五六七八九]?十)\s*年代",
        ),
        r(
            Rule::RelMonth,
            &format!(r"{REL_YEAR}\s*(\d{{1,2}})\s*月\s*(上旬|中旬|下旬|初|底|末)?"),
        ),
        r(
            Rule::RelQuarter,
            &format!(r"{REL_YEAR}\s*(?:第\s*)?([一二三四1-4])\s*季度"),
        ),
        r(Rule::RelHalf, &format!(r"{REL_YEAR}\s*(上半年|下半年)")),
        r(
            Rule::RelPart,
            &format!(r"{REL_YEAR}\s*(年底|年初|年中|年末|底|初|末|早些时候|晚些时候|稍早)"),
        ),
        r(
            Rule::RelSeason,
            &format!(r"{REL_YEAR}\s*(春天|夏天|秋天|冬天|春季|夏季|秋季|冬季)"),
        ),
        r(Rule::RelYear, REL_YEAR_ALONE),
        r(
            Rule::ThisMonth,
            &format!(r"(这个月|本月|上个月|上月|下个月|下月)\s*{MONTH_PART}?"),
        ),
        r(Rule::ThisWeek, r"(本周|这周|这一周|上周|下周)"),
        r(Rule::Today, r"(今天|今日|昨天|昨日|前天|明天)"),
        r(
            Rule::Offset,
            &format!(r"{NUM}\s*(个)?\s*(月|年|周|星期|天)\s*(以后|之后|以前|之前|后|前)"),
        ),
        r(Rule::PastSpan, &format!(r"过去\s*{NUM}\s*(个)?\s*(年|月)")),
        r(
            Rule::BareMonth,
            r"(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?\s*(上旬|中旬|下旬|初|底|末)?",
        ),
        r(Rule::BarePart, r"(上半年|下半年|年底|年初|年中|年末)"),
        // `前三季度` is the year so far, not its third quarter: read and refused.
        r(Rule::BareQuarter, r"(前|第)?\s*([一二三四1-4])\s*季度"),
        // `每周一` is every Monday: read and refused.
        r(
            Rule::Weekday,
            r"(每|上|下|本|这)?\s*(?:个)?\s*(?:周|星期|礼拜)\s*([一二三四五六日天])",
        ),
    ]
});

/// Finds and resolves every temporal expression of `folded`, in order. `ctx` carries the
/// publication date and is updated with the years named, for the expressions that follow.
pub fn find_dates(folded: &str, ctx: &mut DateContext) -> Vec<DateMention> {
    let found = candidates(folded);
    // Most paragraphs have no date: the tense is read only for those that do.
    ctx.future = !found.is_empty() && speaks_of_future(folded);
    let mut out = Vec::new();
    let mut taken_to = 0;
    for (s, e, i, from) in found {
        if s < taken_to {
            continue;
        }
        let (resolved, names_year) = if let Some((rule, re)) = RULES.get(i) {
            let m = re
                .captures(&folded[from..e])
                .and_then(|caps| resolve(*rule, &caps, ctx));
            (m, rule.names_year())
        } else {
            let (rule, re) = &super::dates_en::RULES[i - RULES.len()];
            let m = re
                .captures(&folded[from..e])
                .and_then(|caps| super::dates_en::resolve(*rule, &caps, ctx));
            (m, rule.names_year())
        };
        if let Some(mut m) = resolved {
            m.start = s;
            m.end = e;
            if m.note.is_none() && m.approximate {
                m.note = Some(format!("≈ {}, \"{}\"", m.date, folded[s..e].trim()));
            }
            if names_year {
                ctx.last_year = Some(m.date.year);
            }
            // A later year-only date makes an earlier month a wrong anchor for `3个月后`.
            ctx.last_month = m.date.month.is_some().then_some(m.date);
            out.push(m);
            taken_to = e;
        }
    }
    out
}

/// Every candidate match, Chinese rules first, then English (`dates_en`), sorted so that at
/// each position the longest comes first: (start of the expression, end, rule, start of the
/// match including its `lead` context).
fn candidates(folded: &str) -> Vec<(usize, usize, usize, usize)> {
    // Most paragraphs hold no date: one pass rules out the rules that cannot match. Every
    // `\b` of the English rules stands next to an ASCII letter or digit of the rule.
    static ANY: LazyLock<AnyOf> = LazyLock::new(|| {
        let chinese = RULES.iter().map(|(_, re)| re.as_str());
        let english = super::dates_en::RULES.iter().map(|(_, re)| re.as_str());
        AnyOf::with_ascii_boundaries(chinese.chain(english))
    });
    candidates_of(folded, &ANY.may_match(folded))
}

/// [`candidates`] of the rules `may` lets through.
fn candidates_of(folded: &str, may: &[bool]) -> Vec<(usize, usize, usize, usize)> {
    let chinese = RULES.iter().map(|(_, re)| re);
    let english = super::dates_en::RULES.iter().map(|(_, re)| re);
    let mut found = Vec::new();
    for (i, re) in chinese.chain(english).enumerate() {
        if !may[i] {
            continue;
        }
        for c in re.captures_iter(folded) {
            let Some(m) = c.get(0) else { continue };
            if digit_glued(folded, m.start(), m.end()) {
                continue;
            }
            // `of 2000 people` is a count; `this may help` a verb.
            if i >= RULES.len() && super::dates_en::refused(i - RULES.len(), m.as_str(), &folded[m.end()..]) {
                continue;
            }
            let start = c.name("lead").map_or(m.start(), |l| l.end());
            found.push((start, m.end(), i, m.start()));
        }
    }
    found.sort_by_key(|&(s, e, i, _)| (s, std::cmp::Reverse(e), i));
    found
}

/// Words of a sentence about what is to come: a bare month or day later than the page's
/// date is then this year's, not last year's.
fn speaks_of_future(folded: &str) -> bool {
    static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?-u:\b)(?:will|shall|scheduled|upcoming|due to|set to|plans? to|planned|expected to|going to|postponed|delayed|pushed back|put off)(?-u:\b)|将于|将在|将会|将要|即将|计划|预计|拟于|定于|届时|有望|推迟|推到|延期|延迟|延后",
        )
        .unwrap()
    });
    FUTURE.is_match(folded)
}

/// Days a date may fall after the page's date and still be read in its year: pages are
/// dated in their own time zone, so `tomorrow's` date by another clock is not last year's.
const GRACE_DAYS: i64 = 1;

/// The year of a month (and day) given without one: the year the paragraph last named,
/// else the publication year, or the year before when the date would fall after the page
/// was published and the sentence does not speak of the future (`12月30日` in a page of
/// 2019-01-02 is 2018-12-30; `11月` in a page of 2019-02 is 2018-11).
pub(super) fn year_for(month: u32, day: Option<u32>, ctx: &DateContext) -> Option<i32> {
    if let Some(y) = ctx.last_year {
        return Some(y);
    }
    let p = ctx.published?;
    let later = match day {
        Some(d) => {
            NaiveDate::from_ymd_opt(p.year(), month, d).is_some_and(|date| date > p + Duration::days(GRACE_DAYS))
        }
        None => month > p.month(),
    };
    Some(if later && !ctx.future { p.year() - 1 } else { p.year() })
}

/// A match glued to more digits (`12025年`, `2025.5`, `1.2025`) is part of a larger number;
/// a full stop that ends a sentence (`in 2019.`) is not.
fn digit_glued(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let starts_digit = text[start..].starts_with(|c: char| c.is_ascii_digit());
    let ends_digit = text[..end].ends_with(|c: char| c.is_ascii_digit());
    let glued = |c: Option<char>, next: Option<char>| match c {
        Some(c) if c.is_ascii_digit() => true,
        Some('.') => next.is_some_and(|n| n.is_ascii_digit()),
        _ => false,
    };
    (starts_digit && glued(before.next(), before.next()))
        || (ends_digit && {
            let (a, b) = (after.next(), after.next());
            a == Some('%') || glued(a, b)
        })
}

fn num(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u32)
            .or((c == '两').then_some(2))
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        [d] => digit(*d),
        _ => None,
    }
}

fn rel_year(word: &str, published: NaiveDate) -> i32 {
    let y = published.year();
    match word {
        "去年" | "上年" | "上一年" | "上年度" | "上年同期" => y - 1,
        "前年" => y - 2,
        "明年" => y + 1,
        "后年" => y + 2,
        _ => y,
    }
}

fn quarter(s: &str) -> u32 {
    num(s).unwrap_or(1).clamp(1, 4)
}

/// `年底` → December, `年初` → January, `年中` → June: approximate months.
fn part_month(part: &str) -> u32 {
    match part {
        "年底" | "年末" | "底" | "末" => 12,
        "年中" => 6,
        _ => 1,
    }
}

pub(super) fn exact(date: PartialDate) -> Option<DateMention> {
    Some(DateMention {
        start: 0,
        end: 0,
        date,
        approximate: false,
        note: None,
    })
}

/// An exact date with a note on how it was read.
pub(super) fn noted(date: PartialDate, note: String) -> Option<DateMention> {
    Some(DateMention {
        start: 0,
        end: 0,
        date,
        approximate: false,
        note: Some(note),
    })
}

pub(super) fn approx(date: PartialDate, note: Option<String>) -> Option<DateMention> {
    Some(DateMention {
        start: 0,
        end: 0,
        date,
        approximate: true,
        note,
    })
}

fn resolve(rule: Rule, c: &regex::Captures, ctx: &DateContext) -> Option<DateMention> {
    let g = |i: usize| c.get(i).map(|m| m.as_str());
    let int = |i: usize| g(i).and_then(|s| s.parse::<i32>().ok());
    let published = ctx.published;
    let year_ok = |y: i32| (1800..=2199).contains(&y);
    match rule {
        Rule::FullDate | Rule::IsoDate => {
            let d = NaiveDate::from_ymd_opt(int(1)?, int(2)? as u32, int(3)? as u32)?;
            year_ok(d.year()).then_some(())?;
            exact(PartialDate::day(d))
        }
        Rule::YearMonth => {
            let date = PartialDate::month(int(1).filter(|y| year_ok(*y))?, int(2)? as u32)?;
            match g(3) {
                Some(_) => approx(date, None),
                None => exact(date),
            }
        }
        Rule::YearRange => {
            let (a, b) = (int(1)?, int(2)?);
            (year_ok(a) && year_ok(b) && a < b).then_some(())?;
            approx(PartialDate::year(a), Some(format!("{a}—{b}")))
        }
        Rule::YearQuarter => {
            let y = int(1).filter(|y| year_ok(*y))?;
            noted(PartialDate::year(y), format!("{y} Q{}", quarter(g(2)?)))
        }
        Rule::YearHalf | Rule::YearSeason => {
            let y = int(1).filter(|y| year_ok(*y))?;
            noted(PartialDate::year(y), format!("{y}, {}", g(2)?))
        }
        Rule::YearPart => {
            let y = int(1).filter(|y| year_ok(*y))?;
            approx(PartialDate::month(y, part_month(g(2)?))?, None)
        }
        Rule::BirthYear => {
            let yy = int(1)?;
            let y = if yy >= 30 { 1900 + yy } else { 2000 + yy };
            noted(PartialDate::year(y), format!("{y}, \"{}\"", c.get(0)?.as_str().trim()))
        }
        Rule::Year => exact(PartialDate::year(int(1).filter(|y| year_ok(*y))?)),
        Rule::Decade => decade(g(1), c),
        Rule::RelMonth => {
            let y = rel_year(g(1)?, published?);
            let date = PartialDate::month(y, int(2)? as u32)?;
            match g(3) {
                Some(_) => approx(date, None),
                None => exact(date),
            }
        }
        Rule::RelQuarter => {
            let y = rel_year(g(1)?, published?);
            noted(PartialDate::year(y), format!("{y} Q{}", quarter(g(2)?)))
        }
        Rule::RelHalf | Rule::RelSeason => {
            let y = rel_year(g(1)?, published?);
            approx(PartialDate::year(y), Some(format!("≈ {y}, \"{}{}\"", g(1)?, g(2)?)))
        }
        Rule::RelPart => {
            let y = rel_year(g(1)?, published?);
            match g(2)? {
                // `今年早些时候`: some time this year, before the page.
                part @ ("早些时候" | "晚些时候" | "稍早") => {
                    approx(PartialDate::year(y), Some(format!("≈ {y}, \"{}{part}\"", g(1)?)))
                }
                part => approx(PartialDate::month(y, part_month(part))?, None),
            }
        }
        Rule::RelYear => exact(PartialDate::year(rel_year(g(1)?, published?))),
        Rule::ThisMonth => {
            let p = published?;
            let first = p.with_day(1)?;
            let d = match g(1)? {
                "上个月" | "上月" => first.checked_sub_months(Months::new(1))?,
                "下个月" | "下月" => first.checked_add_months(Months::new(1))?,
                _ => first,
            };
            let month = PartialDate::month(d.year(), d.month())?;
            match g(2) {
                Some(_) => approx(month, None),
                None => exact(month),
            }
        }
        Rule::ThisWeek => {
            let p = published?;
            let monday = p - Duration::days(p.weekday().num_days_from_monday() as i64);
            let monday = match g(1)? {
                "上周" => monday - Duration::days(7),
                "下周" => monday + Duration::days(7),
                _ => monday,
            };
            approx(
                PartialDate::day(monday),
                Some(format!("≈ {}, \"{}\"", PartialDate::day(monday), g(1)?)),
            )
        }
        Rule::Today => {
            let p = published?;
            let d = match g(1)? {
                "昨天" | "昨日" => p - Duration::days(1),
                "前天" => p - Duration::days(2),
                "明天" => p + Duration::days(1),
                _ => p,
            };
            exact(PartialDate::day(d))
        }
        Rule::Offset => offset(g(1)?, g(3)?, g(4)?, ctx),
        Rule::PastSpan => {
            let p = published?;
            let n = num(g(1)?)?;
            let months = if g(3)? == "年" { n * 12 } else { n };
            let start = p.checked_sub_months(Months::new(months))?;
            let (from, to) = (
                PartialDate::month(start.year(), start.month())?,
                PartialDate::month(p.year(), p.month())?,
            );
            approx(
                from,
                Some(format!(
                    "≈ {from}–{to}, \"过去{}{}{}\"",
                    g(1)?,
                    g(2).unwrap_or(""),
                    g(3)?
                )),
            )
        }
        Rule::BareMonth => {
            let month = int(1)? as u32;
            let day = match g(2) {
                Some(d) => Some(d.parse().ok()?),
                None => None,
            };
            let y = year_for(month, day, ctx)?;
            match (day, g(3)) {
                (Some(d), _) => exact(PartialDate::day(NaiveDate::from_ymd_opt(y, month, d)?)),
                (None, Some(_)) => approx(PartialDate::month(y, month)?, None),
                (None, None) => exact(PartialDate::month(y, month)?),
            }
        }
        Rule::BarePart => {
            let y = ctx.last_year.or(published.map(|p| p.year()))?;
            match g(1)? {
                half @ ("上半年" | "下半年") => approx(PartialDate::year(y), Some(format!("≈ {y}, \"{half}\""))),
                part => approx(PartialDate::month(y, part_month(part))?, None),
            }
        }
        Rule::BareQuarter => {
            if g(1) == Some("前") {
                return None;
            }
            let q = quarter(g(2)?);
            // A quarter not yet begun at the page's date is last year's, as a month would be.
            let y = year_for(q * 3 - 2, None, ctx)?;
            noted(PartialDate::year(y), format!("{y} Q{q}"))
        }
        Rule::Weekday => weekday(g(1), g(2)?, c.get(0)?.as_str(), ctx),
    }
}

/// `上世纪90年代`, `1990年代`, `九十年代`: the decade's first year, approximate. Two digits
/// without a century are the 1900s from `30年代` on, else this century's.
fn decade(century: Option<&str>, c: &regex::Captures) -> Option<DateMention> {
    let year = if let Some(full) = c.get(2) {
        full.as_str().parse().ok()?
    } else {
        let tens: i32 = match (c.get(3), c.get(4)) {
            (Some(two), _) => two.as_str().parse().ok()?,
            (None, Some(digit)) => num(digit.as_str())? as i32 * 10,
            _ => return None,
        };
        let base = match century {
            Some("本世纪" | "21世纪") => 2000,
            Some(_) => 1900,
            None if tens >= 30 => 1900,
            None => 2000,
        };
        base + tens
    };
    (year % 10 == 0 && (1800..=2190).contains(&year)).then_some(())?;
    approx(PartialDate::year(year), Some(format!("{year}s")))
}

/// `周一`, `星期三`, `上周五`, `下周日`: a day of a week counted from Monday. A bare weekday is
/// the last one up to the page's date (the next one in a sentence about the future);
/// `每周一` (every Monday) is no date.
fn weekday(which: Option<&str>, day: &str, text: &str, ctx: &DateContext) -> Option<DateMention> {
    let p = ctx.published?;
    let target = match day {
        "日" | "天" => 6,
        d => num(d)?.checked_sub(1)? as i64,
    };
    let today = p.weekday().num_days_from_monday() as i64;
    let monday = p - Duration::days(today);
    let d = match which {
        Some("每") => return None,
        Some("上") => monday + Duration::days(target - 7),
        Some("下") => monday + Duration::days(target + 7),
        Some(_) => monday + Duration::days(target),
        None if ctx.future => p + Duration::days((target - today).rem_euclid(7)),
        None => p - Duration::days((today - target).rem_euclid(7)),
    };
    noted(PartialDate::day(d), format!("{d}, \"{}\"", text.trim()))
}

/// `3个月后`, `一周前`, `两年后`: counted from the last month-precise date the paragraph
/// named, else from the publication date. After a year-only date (`2022年…四个月后`) the
/// month cannot be known, so nothing is returned.
fn offset(n: &str, unit: &str, dir: &str, ctx: &DateContext) -> Option<DateMention> {
    // `2018年之前`, `2010 年前后`: four digits before 年 name a year, not a span of years
    // (the year rule then reads it).
    if unit == "年" && n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = if n == "半" { 0 } else { num(n)? };
    let back = dir.ends_with('前');
    let anchor = match (ctx.last_month, ctx.last_year) {
        (Some(m), _) => NaiveDate::from_ymd_opt(m.year, m.month?, m.day.unwrap_or(1))?,
        (None, Some(_)) => return None,
        (None, None) => ctx.published?,
    };
    let shift_months = |months: u32| {
        if back {
            anchor.checked_sub_months(Months::new(months))
        } else {
            anchor.checked_add_months(Months::new(months))
        }
    };
    let shift_days = |days: i64| {
        Some(if back {
            anchor - Duration::days(days)
        } else {
            anchor + Duration::days(days)
        })
    };
    let date = match unit {
        "年" if n == 0 => {
            let d = shift_months(6)?;
            PartialDate::month(d.year(), d.month())?
        }
        "年" => PartialDate::year(shift_months(n * 12)?.year()),
        "月" => {
            let d = shift_months(n)?;
            PartialDate::month(d.year(), d.month())?
        }
        "周" | "星期" => PartialDate::day(shift_days(7 * n as i64)?),
        _ => PartialDate::day(shift_days(n as i64)?),
    };
    approx(date, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: (i32, u32, u32) = (2026, 3, 15);

    fn read(text: &str) -> Vec<(String, String)> {
        let (y, m, d) = PUBLISHED;
        let mut ctx = DateContext::new(NaiveDate::from_ymd_opt(y, m, d));
        let folded = crate::text::fold(text);
        find_dates(&folded, &mut ctx)
            .into_iter()
            .map(|m| (m.date.to_string(), m.note.unwrap_or_default()))
            .collect()
    }

    fn dates(text: &str) -> Vec<String> {
        read(text).into_iter().map(|d| d.0).collect()
    }

    #[test]
    fn the_prefilter_never_changes_what_the_rules_find() {
        // Real paragraphs in both scripts, and English with non-ASCII letters and punctuation
        // next to dates (where an ASCII and a Unicode word boundary differ).
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .flat_map(|t| t.lines().map(crate::text::fold).collect::<Vec<_>>())
            .collect();
        assert!(texts.len() > 100, "the bundled corpus has paragraphs");
        for t in [
            "on march 5, 2019, the café opened; by late 2020 it had closed",
            "über2019 and 2019über, éMarch 5 and March 5é",
            "the 1990s (2001) 2003’s q3 2021 three weeks ago, last monday",
            "早在2018年3月，他就说过；下周一见，去年年底，3个月后",
            "（2019）年中、2019年—2020年",
        ] {
            texts.push(crate::text::fold(t));
        }
        let all = vec![true; RULES.len() + super::super::dates_en::RULES.len()];
        let mut found = 0;
        for t in &texts {
            let filtered = candidates(t);
            assert_eq!(filtered, candidates_of(t, &all), "{t}");
            found += filtered.len();
        }
        assert!(found > 20, "the texts hold dates: {found}");
    }

    #[test]
    fn absolute_years_months_and_days() {
        assert_eq!(dates("2013年Yann LeCun 成立了 FAIR"), vec!["2013"]);
        assert_eq!(dates("直到ChatGPT爆火后的2023年2月"), vec!["2023-02"]);
        assert_eq!(dates("裁撤(2025 年 2 月裁撤 5% 员工)"), vec!["2025-02"]);
        assert_eq!(dates("２０２５年２月"), vec!["2025-02"], "full-width digits");
        assert_eq!(
            dates("2025年8月29日发布,另见2025-08-30"),
            vec!["2025-08-29", "2025-08-30"]
        );
        assert_eq!(dates("自 2022 年起向 Reality Labs 报告"), vec!["2022"]);
    }

    #[test]
    fn ranges_quarters_halves_and_parts_of_years() {
        assert_eq!(
            read("2023—2024年,在其他公司"),
            vec![("2023".into(), "2023—2024".into())]
        );
        assert_eq!(
            read("2025年第一季度达42亿美元"),
            vec![("2025".into(), "2025 Q1".into())]
        );
        assert_eq!(dates("2025年上半年"), vec!["2025"]);
        assert_eq!(
            read("到2025年底,豆包的日活"),
            vec![("2025-12".into(), "≈ 2025-12, \"2025年底\"".into())]
        );
        assert_eq!(dates("2024年初"), vec!["2024-01"]);
        assert_eq!(dates("Meta在上半年的丑闻频出"), vec!["2026"]);
    }

    #[test]
    fn relative_years_resolve_against_publication() {
        assert_eq!(
            read("去年年底,TBD Lab完成了"),
            vec![("2025-12".into(), "≈ 2025-12, \"去年年底\"".into())]
        );
        assert_eq!(dates("早在去年底"), vec!["2025-12"]);
        assert_eq!(dates("今年1月,团队进入下一阶段"), vec!["2026-01"]);
        assert_eq!(dates("去年7月,在Meta的财报电话会上"), vec!["2025-07"]);
        assert_eq!(dates("前年"), vec!["2024"]);
        assert_eq!(dates("明年3月"), vec!["2027-03"]);
        assert_eq!(dates("去年夏天"), vec!["2025"]);
        assert_eq!(dates("今年第二季度"), vec!["2026"]);
    }

    #[test]
    fn weeks_months_offsets_and_spans() {
        assert_eq!(
            read("本周就曾出现一个传言")[0].0,
            "2026-03-09",
            "Monday of the week of 2026-03-15"
        );
        assert_eq!(dates("应该在这个月就发布的"), vec!["2026-03"]);
        assert_eq!(dates("上个月"), vec!["2026-02"]);
        assert_eq!(dates("3个月后"), vec!["2026-06"]);
        assert_eq!(dates("三个月后"), vec!["2026-06"]);
        assert_eq!(dates("一周前,硅谷爆出消息"), vec!["2026-03-08"]);
        assert_eq!(dates("两年前"), vec!["2024"]);
        assert_eq!(dates("10年前"), vec!["2016"]);
        // A year followed by 之前/前后/前三季度 is that year, not 2018 years back.
        assert_eq!(dates("2018年之前,我国一直没有非洲猪瘟"), vec!["2018"]);
        assert_eq!(dates("2010 年前后网上还有人讨论"), vec!["2010"]);
        assert_eq!(dates("2018年前三季度"), vec!["2018"]);
        assert_eq!(dates("昨日也报道了"), vec!["2026-03-14"]);
        let past = read("过去一年,扎克伯格几乎把公司的未来押在了人工智能上");
        assert_eq!(past[0].0, "2025-03");
        assert!(past[0].1.contains("2025-03–2026-03"), "{past:?}");
    }

    #[test]
    fn bare_months_take_the_year_last_named() {
        assert_eq!(
            dates("本应在今年3月亮相,但现在时间被推到了5月。"),
            vec!["2026-03", "2026-05"]
        );
        assert_eq!(dates("2024年7月发布,9月又更新"), vec!["2024-07", "2024-09"]);
        assert_eq!(
            read("目标发布时间定在了3月中旬")[0],
            ("2026-03".into(), "≈ 2026-03, \"3月中旬\"".into())
        );
        // A day after the page's date is last year's, unless the sentence looks ahead.
        assert_eq!(dates("8月29日"), vec!["2025-08-29"]);
        assert_eq!(dates("新品将于8月29日发布"), vec!["2026-08-29"]);
    }

    #[test]
    fn offsets_after_a_year_only_date_stay_undated() {
        assert_eq!(
            dates("那这将是2022年、2023年Meta大重组后最大规模的一次裁员。彼时Meta裁员1.1万人,四个月后又裁员1万人。"),
            vec!["2022", "2023"]
        );
    }

    #[test]
    fn numbers_that_are_not_dates() {
        for text in [
            "以4年2亿美元的天价合约",
            "1GW的Prometheus",
            "Gemini 2.5",
            "近 2000 人的 Llama 团队",
            "超过 2000 字的文章",
            "12025年",
            "9个月",
            "600 人",
            "13月",
            "2009亿美元",
            "0.5年",
        ] {
            assert!(dates(text).is_empty(), "{text} gave {:?}", dates(text));
        }
        assert_eq!(dates("向 97 年生人 Alexandr Wang 汇报")[0], "1997");
    }

    #[test]
    fn relative_dates_without_publication_date_are_undated() {
        let mut ctx = DateContext::new(None);
        for text in ["去年年底", "今年1月", "本周", "5月", "3个月后", "过去一年", "上半年"] {
            assert!(find_dates(text, &mut ctx).is_empty(), "{text}");
        }
        // An absolute year still anchors a bare month later in the paragraph.
        let found = find_dates("2025年7月发布,9月更新", &mut ctx);
        assert_eq!(
            found.iter().map(|m| m.date.to_string()).collect::<Vec<_>>(),
            vec!["2025-07", "2025-09"]
        );
    }

    #[test]
    fn parses_range_bounds() {
        assert_eq!(PartialDate::parse("2025").unwrap().to_string(), "2025");
        assert_eq!(PartialDate::parse("2025-7").unwrap().to_string(), "2025-07");
        assert_eq!(PartialDate::parse("2025年7月15日").unwrap().to_string(), "2025-07-15");
        assert!(PartialDate::parse("2025-13").is_none() && PartialDate::parse("soon").is_none());
        let y = PartialDate::parse("2025").unwrap();
        assert!(
            y.key() < PartialDate::parse("2025-01").unwrap().key()
                && y.end_key() > PartialDate::parse("2025-12-31").unwrap().key()
        );
    }

    /// Every date read in `text` of a page published on `published` (`YYYY-MM-DD`).
    fn dates_at(published: &str, text: &str) -> Vec<String> {
        let mut ctx = DateContext::new(NaiveDate::parse_from_str(published, "%Y-%m-%d").ok());
        find_dates(&crate::text::fold(text), &mut ctx)
            .into_iter()
            .map(|m| m.date.to_string())
            .collect()
    }

    /// The issue's page date: Friday 2019-02-15 (as in the English tests).
    fn on_page(text: &str) -> Vec<String> {
        dates_at("2019-02-15", text)
    }

    fn note_on_page(text: &str) -> String {
        let mut ctx = DateContext::new(NaiveDate::from_ymd_opt(2019, 2, 15));
        let found = find_dates(&crate::text::fold(text), &mut ctx);
        found.first().and_then(|m| m.note.clone()).unwrap_or_default()
    }

    #[test]
    fn zh_years_decades_months_and_days() {
        assert_eq!(on_page("1997年,亚洲金融危机爆发"), ["1997"]);
        assert_eq!(on_page("上世纪90年代"), ["1990"]);
        assert_eq!(on_page("90年代的香港"), ["1990"]);
        assert_eq!(on_page("上世纪九十年代"), ["1990"]);
        assert_eq!(on_page("1980年代"), ["1980"]);
        assert_eq!(note_on_page("上世纪90年代"), "1990s");
        assert_eq!(on_page("2019年3月"), ["2019-03"]);
        assert_eq!(on_page("2019年3月3日"), ["2019-03-03"]);
        assert_eq!(on_page("自2015年以来"), ["2015"]);
    }

    #[test]
    fn zh_quarters_and_parts_of_years() {
        assert_eq!(on_page("2025年第一季度"), ["2025"]);
        assert_eq!(note_on_page("2025年一季度"), "2025 Q1");
        // A bare quarter: this year's once begun, else last year's.
        assert_eq!(note_on_page("一季度营收增长"), "2019 Q1");
        assert_eq!(note_on_page("四季度营收增长"), "2018 Q4");
        assert!(on_page("前三季度").is_empty());
        assert_eq!(on_page("2020年初"), ["2020-01"]);
        assert_eq!(on_page("2020年年中"), ["2020-06"]);
        assert_eq!(on_page("2020年底"), ["2020-12"]);
        // `2020年中国` is China in 2020, not mid-2020.
        assert_eq!(on_page("2020年中国经济增长"), ["2020"]);
    }

    #[test]
    fn zh_relative_years_months_weeks_and_days() {
        for (text, want) in [
            ("去年", "2018"),
            ("今年", "2019"),
            ("明年", "2020"),
            ("上年同期", "2018"),
            ("上个月", "2019-01"),
            ("本月", "2019-02"),
            ("下个月", "2019-03"),
            ("上周", "2019-02-04"),
            ("本周", "2019-02-11"),
            ("下周", "2019-02-18"),
            ("昨天", "2019-02-14"),
            ("前天", "2019-02-13"),
            ("两周前", "2019-02-01"),
            ("三天前", "2019-02-12"),
            ("本月早些时候", "2019-02"),
            ("今年早些时候", "2019"),
        ] {
            assert_eq!(on_page(text), [want], "{text}");
        }
        assert!(note_on_page("本月早些时候").starts_with("≈ 2019-02"));
    }

    #[test]
    fn zh_weekdays() {
        // The page is a Friday: a bare weekday is the last one up to it.
        assert_eq!(on_page("周一,公司宣布裁员"), ["2019-02-11"]);
        assert_eq!(on_page("星期一"), ["2019-02-11"]);
        assert_eq!(on_page("周五"), ["2019-02-15"]);
        assert_eq!(on_page("星期天"), ["2019-02-10"]);
        assert_eq!(on_page("上周五"), ["2019-02-08"]);
        assert_eq!(on_page("下周三"), ["2019-02-20"]);
        assert_eq!(on_page("双方将于周一会谈"), ["2019-02-18"]);
        assert!(on_page("每周一开会").is_empty());
    }

    #[test]
    fn zh_yearless_months_and_days_look_back_from_the_page() {
        assert_eq!(on_page("上年11月"), ["2018-11"]);
        assert_eq!(on_page("去年11月"), ["2018-11"]);
        assert_eq!(on_page("11月,工厂停产"), ["2018-11"]);
        assert_eq!(on_page("12月30日,工厂停产"), ["2018-12-30"]);
        assert_eq!(on_page("2月10日"), ["2019-02-10"]);
        assert_eq!(on_page("2月"), ["2019-02"]);
        // A day after the page is last year's, unless the sentence looks ahead.
        assert_eq!(on_page("2月20日,工厂停产"), ["2018-02-20"]);
        assert_eq!(on_page("工厂计划2月20日复产"), ["2019-02-20"]);
        // A day's grace for time zones.
        assert_eq!(on_page("2月16日"), ["2019-02-16"]);
        // A named year holds for later bare months; an inferred one does not.
        assert_eq!(on_page("2017年11月开工,12月停工"), ["2017-11", "2017-12"]);
        assert_eq!(
            dates_at("2019-01-10", "12月30日停工,1月5日复工"),
            ["2018-12-30", "2019-01-05"]
        );
        assert_eq!(
            dates_at("2019-01-02", "昨天宣布:12月30日停工"),
            ["2019-01-01", "2018-12-30"]
        );
    }

    #[test]
    fn zh_relative_dates_without_a_page_date_stay_undated() {
        let mut ctx = DateContext::new(None);
        for text in [
            "周一",
            "上年11月",
            "12月30日",
            "一季度",
            "两周前",
            "本月早些时候",
            "90年代",
        ] {
            let found = find_dates(&crate::text::fold(text), &mut ctx);
            // Only a decade stands on its own.
            assert!(found.is_empty() || text == "90年代", "{text}: {found:?}");
        }
    }

    #[test]
    fn zh_numbers_that_are_not_dates() {
        for text in [
            "Windows 10发布",
            "iPhone 8上市",
            "比分3-2",
            "电话010-65122000",
            "售价1997元",
            "上年纪的人",
            "2000人参加",
        ] {
            assert!(on_page(text).is_empty(), "{text} gave {:?}", on_page(text));
        }
    }
}
