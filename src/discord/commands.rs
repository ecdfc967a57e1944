//! The slash commands. The code defines their structure (names, options, autocomplete);
//! their words — descriptions, localised names, help — come from `commands/<name>.toml` and
//! are applied in [`commands`], so a wording change needs no code change.

use std::borrow::Cow;

use poise::serenity_prelude as serenity;

use super::{respond, Context, Data, Error};
use crate::command::{Command, Localized, OptionText, Request};

fn app(ctx: Context<'_>) -> Option<&serenity::CommandInteraction> {
    match ctx {
        poise::Context::Application(a) => Some(a.interaction),
        poise::Context::Prefix(_) => None,
    }
}

async fn run(ctx: Context<'_>, request: Request) -> Result<(), Error> {
    let Some(interaction) = app(ctx) else { return Ok(()) };
    respond::slash(&ctx.serenity_context().http, ctx.data(), interaction, request).await
}

fn choices(pairs: Vec<(String, String)>) -> serenity::CreateAutocompleteResponse {
    let clip = |s: &str| super::render::clip(s, 100);
    let list = pairs
        .into_iter()
        .take(25)
        .map(|(label, value)| serenity::AutocompleteChoice::new(clip(&label), clip(&value)));
    serenity::CreateAutocompleteResponse::new().set_choices(list.collect())
}

async fn autocomplete_names(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    choices(ctx.data().backend.name_choices(partial))
}

async fn autocomplete_documents(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    choices(ctx.data().backend.document_choices(partial))
}

#[poise::command(slash_command)]
pub async fn source(ctx: Context<'_>, #[autocomplete = "autocomplete_documents"] query: String) -> Result<(), Error> {
    run(ctx, Request::new(Command::Ask, query)).await
}

#[poise::command(slash_command)]
pub async fn who(ctx: Context<'_>, #[autocomplete = "autocomplete_names"] name: String) -> Result<(), Error> {
    run(ctx, Request::new(Command::Who, name)).await
}

#[poise::command(slash_command)]
pub async fn timeline(
    ctx: Context<'_>,
    #[autocomplete = "autocomplete_names"] topic: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<(), Error> {
    let request = Request {
        command: Command::Timeline,
        query: topic.unwrap_or_default(),
        from,
        to,
    };
    run(ctx, request).await
}

#[poise::command(slash_command)]
pub async fn ask(ctx: Context<'_>, question: String) -> Result<(), Error> {
    run(ctx, Request::new(Command::Ask, question)).await
}

#[poise::command(slash_command)]
pub async fn help(ctx: Context<'_>, command: Option<String>) -> Result<(), Error> {
    run(ctx, Request::new(Command::Help, command.unwrap_or_default())).await
}

/// "Find source" (right-click a message → Apps): the passages that say what the message says,
/// cited, so any claim in the channel can be traced in two clicks. A claim is a paraphrase, not
/// a quote: it is searched as a question is (the passages holding most of its distinctive
/// words, the words no document uses named), not as `/source`'s exact words. The answer is
/// public like every other
/// answer: in a team channel the point is that everyone sees where a claim comes from, and the
/// answer shows only the documents' words (a message with nothing to trace gets a private
/// notice, as every notice is).
#[poise::command(context_menu_command = "Find source")]
pub async fn find_source(ctx: Context<'_>, message: serenity::Message) -> Result<(), Error> {
    let text = respond::question_text(&message.content);
    let backend = ctx.data().backend.clone();
    let query = tokio::task::spawn_blocking(move || backend.claim_query(&text)).await?;
    run(ctx, Request::new(Command::Ask, query)).await
}

/// "Who's mentioned" (right-click a message → Apps): the names the documents know in the
/// message, each with the passage that best says who they are.
#[poise::command(context_menu_command = "Who's mentioned")]
pub async fn whos_mentioned(ctx: Context<'_>, message: serenity::Message) -> Result<(), Error> {
    let Some(interaction) = app(ctx) else { return Ok(()) };
    let text = respond::question_text(&message.content);
    let http = &ctx.serenity_context().http;
    respond::interact(http, ctx.data(), interaction, "who", move |backend, channel| {
        backend.mentioned(channel, &text)
    })
    .await
}

fn message_command(
    mut command: poise::Command<std::sync::Arc<Data>, Error>,
    menu: crate::command::Menu,
) -> poise::Command<std::sync::Arc<Data>, Error> {
    let text = menu.text();
    command.context_menu_name = Some(Cow::Owned(text.name.clone()));
    let pairs: Vec<(Cow<'static, str>, Cow<'static, str>)> = text
        .localizations
        .iter()
        .map(|(locale, l)| (Cow::Owned(locale.clone()), Cow::Owned(l.name.clone())))
        .collect();
    command.name_localizations = Cow::Owned(pairs);
    command
}

fn localized(
    map: &std::collections::BTreeMap<String, Localized>,
    name: bool,
) -> Cow<'static, [(Cow<'static, str>, Cow<'static, str>)]> {
    let pairs: Vec<(Cow<'static, str>, Cow<'static, str>)> = map
        .iter()
        .filter_map(|(locale, l)| {
            let text = if name { l.name.clone()? } else { l.description.clone() };
            Some((Cow::Owned(locale.clone()), Cow::Owned(text)))
        })
        .collect();
    Cow::Owned(pairs)
}

/// Gives each option its description and localised names from the TOML.
fn describe_options(
    params: &mut [poise::CommandParameter<std::sync::Arc<Data>, Error>],
    words: &[OptionText],
    command: &str,
) {
    for p in params {
        let Some(o) = words.iter().find(|o| o.name == p.name) else {
            panic!("commands/*.toml does not describe option {} of /{command}", p.name)
        };
        p.description = Some(Cow::Owned(o.description.clone()));
        p.name_localizations = localized(&o.localizations, true);
        p.description_localizations = localized(&o.localizations, false);
    }
}

/// Every command, with its words from `commands/<name>.toml`.
pub fn commands() -> Vec<poise::Command<std::sync::Arc<Data>, Error>> {
    let mut list = vec![
        source(),
        who(),
        timeline(),
        ask(),
        help(),
        super::digest::digest(),
        super::ingest::ingest(),
        super::feed::feed(),
        super::ingest::settings(),
    ];
    for c in &mut list {
        let command = Command::from_name(&c.name).unwrap_or_else(|| panic!("/{} has no commands/*.toml", c.name));
        let text = command.text();
        c.description = Some(Cow::Owned(text.description.clone()));
        c.help_text = Some(Cow::Owned(text.help.trim().to_string()));
        c.name_localizations = localized(&text.localizations, true);
        c.description_localizations = localized(&text.localizations, false);
        describe_options(&mut c.parameters, &text.options, &c.name);
        for sub in &mut c.subcommands {
            let Some(st) = text.subcommands.iter().find(|s| s.name == sub.name) else {
                panic!("commands/{}.toml does not describe subcommand {}", c.name, sub.name)
            };
            sub.description = Some(Cow::Owned(st.description.clone()));
            sub.name_localizations = localized(&st.localizations, true);
            sub.description_localizations = localized(&st.localizations, false);
            describe_options(&mut sub.parameters, &st.options, &format!("{} {}", c.name, sub.name));
        }
    }
    list.push(message_command(find_source(), crate::command::Menu::FindSource));
    list.push(message_command(whos_mentioned(), crate::command::Menu::WhosMentioned));
    list
}

/// The registration payload Discord receives. serenity writes permission bit sets as
/// strings; Discord's API spec types `default_member_permissions` as an integer, so it is
/// sent as one. Message commands get their localised names.
pub fn registration_body(commands: &[poise::Command<std::sync::Arc<Data>, Error>]) -> Vec<serde_json::Value> {
    poise::builtins::create_application_commands(commands)
        .into_iter()
        .map(|c| {
            let mut v = serde_json::to_value(c).unwrap_or_default();
            // poise 0.7 does not localise context menu names: added here.
            let menu = commands
                .iter()
                .find(|c| c.context_menu_name.is_some() && v["name"] == c.context_menu_name.as_deref().unwrap_or(""));
            if let Some(menu) = menu.filter(|m| !m.name_localizations.is_empty()) {
                let names: serde_json::Map<String, serde_json::Value> = menu
                    .name_localizations
                    .iter()
                    .map(|(locale, name)| (locale.to_string(), serde_json::json!(name)))
                    .collect();
                v["name_localizations"] = serde_json::Value::Object(names);
                // Discord stores an empty description for message commands and sends it back.
                v["description"] = serde_json::json!("");
            }
            if let Some(p) = v
                .get("default_member_permissions")
                .and_then(|p| p.as_str())
                .and_then(|p| p.parse::<u64>().ok())
            {
                v["default_member_permissions"] = serde_json::json!(p);
            }
            v
        })
        .collect()
}

/// The registration payload of every command (for tests and review).
pub fn registration() -> Vec<serde_json::Value> {
    registration_body(&commands())
}
