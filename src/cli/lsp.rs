//! `iamlint lsp`: a language server on stdio. Diagnostics are published on open, change and
//! save, with the settings `check` would use for the file (the `iamlint.toml` found upward from
//! the document's directory); each fix is offered as a quick fix, and all of them as
//! `source.fixAll.iamlint`. Positions are UTF-16, as LSP requires.
//!
//! `lsp-server` (rust-analyzer's transport: framing, the initialize/shutdown handshake) and
//! `lsp-types` (the protocol's types) keep this file about linting rather than JSON-RPC.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DiagnosticRelatedInformation, DiagnosticSeverity,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, Location, NumberOrString, Position,
    PublishDiagnosticsParams, Range, SaveOptions, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
    WorkspaceEdit,
};
use serde_json::json;

use super::{check, fix, ExitCode, Failure};
use crate::policy::{Kind, KindOrigin};
use crate::rules::{Diagnostic, Severity};
use crate::source::{LineIndex, Span};

const FIX_ALL: &str = "source.fixAll.iamlint";

pub fn run() -> Result<ExitCode, Failure> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = serde_json::to_value(capabilities()).expect("plain data serialises");
    connection
        .initialize(capabilities)
        .map_err(|e| Failure::Io(format!("language server: {e}")))?;
    let mut server = Server::default();
    for message in &connection.receiver {
        if let Message::Request(request) = &message {
            match connection.handle_shutdown(request) {
                Ok(true) => break,
                Ok(false) => {}
                Err(e) => return Err(Failure::Io(format!("language server: {e}"))),
            }
        }
        for reply in server.handle(message) {
            if connection.sender.send(reply).is_err() {
                break;
            }
        }
    }
    drop(connection);
    io_threads
        .join()
        .map_err(|e| Failure::Io(format!("language server: {e}")))?;
    Ok(ExitCode::Clean)
}

pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)]),
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// One open document: its text and what was last published for it.
struct Document {
    text: String,
    version: Option<i32>,
    published: Vec<Published>,
}

/// A published diagnostic and its fix as LSP edits, for code actions.
struct Published {
    diagnostic: lsp_types::Diagnostic,
    fix: Option<(String, Vec<TextEdit>)>,
}

/// The message handling, without the transport, so tests can drive it directly.
#[derive(Default)]
pub struct Server {
    documents: HashMap<Uri, Document>,
    /// The Terraform modules read for the documents' siblings, forgotten when a file of their
    /// directory is opened, saved or closed, or the client reports it changed on disk.
    modules: check::Modules,
}

impl Server {
    /// Handles one message from the client; returns the messages to send back.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(request) => vec![Message::Response(self.request(request))],
            Message::Notification(notification) => self.notification(notification),
            Message::Response(_) => Vec::new(),
        }
    }

    fn request(&mut self, request: Request) -> Response {
        if request.method == CodeActionRequest::METHOD {
            return match serde_json::from_value::<CodeActionParams>(request.params) {
                Ok(params) => Response::new_ok(request.id, self.code_actions(&params)),
                Err(e) => {
                    Response::new_err(request.id, ErrorCode::InvalidParams as i32, e.to_string())
                }
            };
        }
        Response::new_err(
            request.id,
            ErrorCode::MethodNotFound as i32,
            format!("iamlint does not handle `{}`", request.method),
        )
    }

    fn notification(&mut self, notification: Notification) -> Vec<Message> {
        let method = notification.method.as_str();
        let params = notification.params;
        let uri = params
            .get("textDocument")
            .and_then(|d| d.get("uri"))
            .and_then(|u| u.as_str())
            .and_then(|u| u.parse::<Uri>().ok());
        // A module is read again once a file of its directory may have changed on disk: not
        // on each edit, which is only in the editor (its text is checked as given), so that
        // typing does not read the whole directory again per keystroke.
        let on_disk = [
            DidOpenTextDocument::METHOD,
            DidSaveTextDocument::METHOD,
            DidCloseTextDocument::METHOD,
        ];
        if let (true, Some(path)) = (on_disk.contains(&method), uri.as_ref().and_then(file_path)) {
            self.modules.forget(&path);
        }
        match method {
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(params) {
                    for path in p.changes.iter().filter_map(|c| file_path(&c.uri)) {
                        self.modules.forget(&path);
                    }
                }
                Vec::new()
            }
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(params) else {
                    return Vec::new();
                };
                let document = Document {
                    text: p.text_document.text,
                    version: Some(p.text_document.version),
                    published: Vec::new(),
                };
                self.documents.insert(p.text_document.uri.clone(), document);
                self.publish(&p.text_document.uri)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params) else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                // Full sync: the last change holds the whole text.
                let (Some(document), Some(change)) = (
                    self.documents.get_mut(&uri),
                    p.content_changes.into_iter().last(),
                ) else {
                    return Vec::new();
                };
                document.text = change.text;
                document.version = Some(p.text_document.version);
                self.publish(&uri)
            }
            // The text is already current; saving re-reads the config, which may have changed.
            DidSaveTextDocument::METHOD => {
                match serde_json::from_value::<DidSaveTextDocumentParams>(params) {
                    Ok(p) => self.publish(&p.text_document.uri),
                    Err(_) => Vec::new(),
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params) else {
                    return Vec::new();
                };
                self.documents.remove(&p.text_document.uri);
                vec![publish(p.text_document.uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    /// Lints a document and publishes its diagnostics (and a config error, if any, as one).
    fn publish(&mut self, uri: &Uri) -> Vec<Message> {
        let Some(document) = self.documents.get_mut(uri) else {
            return Vec::new();
        };
        let index = LineIndex::new(&document.text);
        let text = &document.text;
        let range = |span: Span| Range {
            start: position(&index, text, span.start),
            end: position(&index, text, span.end),
        };
        document.published = match lint(uri, text, &self.modules) {
            Ok(outcome) => outcome
                .diagnostics
                .iter()
                .map(|d| Published {
                    diagnostic: diagnostic(uri, d, &range, outcome.kind_at(d.span)),
                    fix: d.fix.as_ref().map(|f| {
                        let edits = f
                            .edits
                            .iter()
                            .map(|e| TextEdit {
                                range: range(e.span),
                                new_text: e.replacement.clone(),
                            })
                            .collect();
                        (f.description.clone(), edits)
                    }),
                })
                .collect(),
            Err(failure) => vec![Published {
                diagnostic: lsp_types::Diagnostic {
                    range: Range::default(),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("iamlint".into()),
                    message: format!("iamlint cannot check this file: {failure}"),
                    ..Default::default()
                },
                fix: None,
            }],
        };
        let diagnostics = document
            .published
            .iter()
            .map(|p| p.diagnostic.clone())
            .collect();
        vec![publish(uri.clone(), diagnostics, document.version)]
    }

    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(document) = self.documents.get(uri) else {
            return Vec::new();
        };
        let wanted = |kind: &CodeActionKind| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let mut actions = Vec::new();
        if wanted(&CodeActionKind::QUICKFIX) {
            for published in &document.published {
                let Some((title, edits)) = &published.fix else {
                    continue;
                };
                if !intersects(published.diagnostic.range, params.range) {
                    continue;
                }
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("{} ({})", title, code(&published.diagnostic)),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![published.diagnostic.clone()]),
                    edit: Some(edit(uri, edits.clone())),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
        }
        let fix_all = CodeActionKind::new(FIX_ALL);
        if wanted(&fix_all) && document.published.iter().any(|p| p.fix.is_some()) {
            let text = &document.text;
            let fixed = fix::fix_until_stable(text, |t| {
                lint(uri, t, &self.modules).unwrap_or_default().diagnostics
            });
            if fixed.applied > 0 {
                let index = LineIndex::new(text);
                let whole = Range {
                    start: Position::new(0, 0),
                    end: position(&index, text, text.len() as u32),
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Fix all iamlint findings".into(),
                    kind: Some(fix_all),
                    edit: Some(edit(
                        uri,
                        vec![TextEdit {
                            range: whole,
                            new_text: fixed.text,
                        }],
                    )),
                    ..Default::default()
                }));
            }
        }
        actions
    }
}

fn publish(uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Message {
    Message::Notification(Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    ))
}

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn code(d: &lsp_types::Diagnostic) -> &str {
    match &d.code {
        Some(NumberOrString::String(code)) => code,
        _ => "iamlint",
    }
}

fn intersects(a: Range, b: Range) -> bool {
    let key = |p: Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

fn position(index: &LineIndex, text: &str, offset: u32) -> Position {
    let (line, character) = index.utf16_position(text, offset);
    Position { line, character }
}

/// Lints the document's current text with the settings of its file's directory. Documents that
/// are not files (untitled buffers) use the current directory's settings.
fn lint(uri: &Uri, text: &str, modules: &check::Modules) -> Result<crate::rules::Checked, Failure> {
    let path = file_path(uri);
    let dir = path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let (settings, scenarios) = check::settings_for(&dir)?;
    let path = path.unwrap_or_else(|| dir.join("untitled.json"));
    Ok(check::lint_text(&settings, &scenarios, &path, text, modules).unwrap_or_default())
}

/// One finding for the editor; `data` carries what the other formats show beside the message,
/// and the kind the document was checked as.
fn diagnostic(
    uri: &Uri,
    d: &Diagnostic,
    range: &impl Fn(Span) -> Range,
    kind: Option<(Kind, KindOrigin)>,
) -> lsp_types::Diagnostic {
    let message = crate::report::headline_with_help(d);
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        // Everything is linted one document at a time, so related places are in this one.
        .filter(|r| r.file == d.file)
        .map(|r| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: range(r.span),
            },
            message: r.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(d.span),
        severity: Some(match d.severity {
            Severity::Error | Severity::Security => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Suggestion => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule.code.to_string())),
        code_description: None,
        source: Some("iamlint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({
            "name": d.rule.name,
            "severity": d.severity.as_str(),
            "pointer": d.pointer,
            "logical_path": d.logical_path,
            "sid": d.sid,
            "scenario": d.scenario,
            "fixable": d.fix.is_some(),
            "kind": kind.map(|(k, _)| k.as_str()),
            "kindSource": kind.map(|(_, origin)| crate::report::kind_source(origin)),
        })),
    }
}

/// The path of a `file:` URI, percent-decoded; `None` for other schemes.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://localhost/x` and `file:///x` name the same file.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    let text = String::from_utf8(out).ok()?;
    // Windows: `file:///C:/x` is `C:/x`.
    let text = match text.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() => text[1..].to_string(),
        _ => text,
    };
    Some(PathBuf::from(text))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use lsp_server::RequestId;

    const BROKEN: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"😀\"}}, \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}\n";

    fn uri(path: &Path) -> Uri {
        Uri::from_str(&crate::report::file_uri(path)).unwrap()
    }

    fn notify(method: &str, params: serde_json::Value) -> Message {
        Message::Notification(Notification::new(method.to_string(), params))
    }

    fn published(messages: &[Message]) -> PublishDiagnosticsParams {
        let [Message::Notification(n)] = messages else {
            panic!("expected one notification: {messages:?}");
        };
        assert_eq!(n.method, PublishDiagnostics::METHOD);
        serde_json::from_value(n.params.clone()).unwrap()
    }

    fn open(server: &mut Server, uri: &Uri, text: &str) -> PublishDiagnosticsParams {
        published(&server.handle(notify(
            DidOpenTextDocument::METHOD,
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
        )))
    }

    #[test]
    fn diagnostics_on_open_change_and_close_in_utf16() {
        let dir = tempfile::tempdir().unwrap();
        let uri = uri(&dir.path().join("a b.json"));
        let mut server = Server::default();
        let first = open(&mut server, &uri, BROKEN);
        assert_eq!(first.version, Some(1));
        let [d] = first.diagnostics.as_slice() else {
            panic!("{:?}", first.diagnostics)
        };
        assert_eq!(d.code, Some(NumberOrString::String("IAM011".into())));
        assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!(d.source.as_deref(), Some("iamlint"));
        assert!(d.code_description.is_none());
        assert_eq!(d.data.as_ref().unwrap()["name"], "invalid-effect");
        // `😀` is one scalar value but two UTF-16 units, and LSP counts the units.
        let line = BROKEN.lines().nth(2).unwrap();
        let byte = line.find("\"allow\"").unwrap();
        let utf16 = line[..byte].encode_utf16().count() as u32;
        assert_eq!(utf16, line[..byte].chars().count() as u32 + 1);
        assert_eq!(d.range.start, Position::new(2, utf16));
        assert_eq!(d.range.end, Position::new(2, utf16 + 7));

        let changed = published(&server.handle(notify(
            DidChangeTextDocument::METHOD,
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"text": BROKEN.replace("allow", "Allow").replace("\"Effect\"", "\"Sid\": \"A\", \"Sid\": \"B\", \"Effect\"")}]}),
        )));
        assert_eq!(changed.version, Some(2));
        let codes: Vec<_> = changed
            .diagnostics
            .iter()
            .map(|d| code(d).to_string())
            .collect();
        assert_eq!(codes, ["IAM002"]);
        let related = changed.diagnostics[0].related_information.as_ref().unwrap();
        assert_eq!(related[0].location.uri, uri);

        let saved = published(&server.handle(notify(
            DidSaveTextDocument::METHOD,
            json!({"textDocument": {"uri": uri}}),
        )));
        assert_eq!(saved.diagnostics.len(), 1);
        let closed = published(&server.handle(notify(
            DidCloseTextDocument::METHOD,
            json!({"textDocument": {"uri": uri}}),
        )));
        assert!(closed.diagnostics.is_empty());
    }

    #[test]
    fn the_kind_is_in_the_data_and_other_json_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("iamlint.toml"),
            "[[files]]\npaths = [\"scp/*.json\"]\nkind = \"scp\"\n",
        )
        .unwrap();
        let mut server = Server::default();
        let scp = open(
            &mut server,
            &uri(&dir.path().join("scp/deny.json")),
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "iam:*", "Resource": "*"}}"#,
        );
        let [d] = scp.diagnostics.as_slice() else {
            panic!("{:?}", scp.diagnostics)
        };
        assert_eq!(code(d), "IAM018");
        assert_eq!(d.data.as_ref().unwrap()["kind"], "scp");
        assert_eq!(d.data.as_ref().unwrap()["kindSource"], "config");
        let inferred = open(&mut server, &uri(&dir.path().join("a.json")), BROKEN);
        assert_eq!(
            inferred.diagnostics[0].data.as_ref().unwrap()["kind"],
            "identity"
        );
        assert_eq!(
            inferred.diagnostics[0].data.as_ref().unwrap()["kindSource"],
            "inferred"
        );
        let package = open(
            &mut server,
            &uri(&dir.path().join("package.json")),
            r#"{"name": "app", "version": "1.0.0"}"#,
        );
        assert!(package.diagnostics.is_empty(), "{:?}", package.diagnostics);
    }

    #[test]
    fn yaml_templates_are_served() {
        let dir = tempfile::tempdir().unwrap();
        let uri = uri(&dir.path().join("stack.yaml"));
        let mut server = Server::default();
        let text = "Resources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - {Effect: allow, Action: 's3:GetObject', Resource: !Sub 'arn:${AWS::Partition}:s3:::b/*'}\n";
        let published = open(&mut server, &uri, text);
        let [d] = published.diagnostics.as_slice() else {
            panic!("{:?}", published.diagnostics)
        };
        assert_eq!(code(d), "IAM011");
        assert_eq!(d.range.start, Position::new(7, 21));
        assert_eq!(
            d.data.as_ref().unwrap()["logical_path"],
            "Resources.R.Properties.PolicyDocument.Statement[0].Effect"
        );
        assert_eq!(d.data.as_ref().unwrap()["kind"], "identity");
        assert_eq!(d.data.as_ref().unwrap()["kindSource"], "template");
        // Other YAML is not a template: nothing to say.
        let other = open(&mut server, &uri, "on: push\n");
        assert!(other.diagnostics.is_empty());
    }

    #[test]
    fn a_stack_s_import_scenario_is_checked_as_it_is_edited() {
        let dir = tempfile::tempdir().unwrap();
        let uri = uri(&dir.path().join("stack.yaml"));
        let mut server = Server::default();
        let text =
            include_str!("../../fixtures/cloudwatch-logs-import/stack-aws-example/template.yaml");
        assert_log_group_error_goes_when_fixed(&mut server, &uri, text, Position::new(47, 20));
    }

    #[test]
    fn a_config_scenario_is_checked_as_one_of_its_documents_is_edited() {
        // The config and the scenario's other documents are read from disk beside it.
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/cloudwatch-logs-import/aws-example");
        for name in ["iamlint.toml", "policy.json", "trust.json"] {
            std::fs::copy(fixture.join(name), dir.path().join(name)).unwrap();
        }
        let policy = uri(&dir.path().join("policy.json"));
        let mut server = Server::default();
        let text = std::fs::read_to_string(fixture.join("policy.json")).unwrap();
        assert_log_group_error_goes_when_fixed(&mut server, &policy, &text, Position::new(31, 8));
        // A document no scenario binds gets no pack finding.
        let other = uri(&dir.path().join("other.json"));
        let published = open(&mut server, &other, &text);
        assert!(
            published
                .diagnostics
                .iter()
                .all(|d| !code(d).starts_with("CWLI")),
            "{:?}",
            published.diagnostics
        );
    }

    #[test]
    fn a_scenario_that_cannot_be_bound_does_not_stop_the_checks() {
        // Its document is not written yet: `check` says so; the editor goes on checking.
        let dir = tempfile::tempdir().unwrap();
        let config = "[[scenario]]\npack = \"cloudwatch-logs-import\"\nname = \"later\"\n\n[scenario.documents]\ncaller-policy = \"not-yet.json\"\n";
        std::fs::write(dir.path().join("iamlint.toml"), config).unwrap();
        let mut server = Server::default();
        let published = open(
            &mut server,
            &uri(&dir.path().join("policy.json")),
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "alow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        );
        assert!(
            published.diagnostics.iter().any(|d| code(d) == "IAM011"),
            "{:?}",
            published.diagnostics
        );
    }

    /// AWS's example (`text`) has the import role's log group wrong at `at`; fixed, the error
    /// goes.
    fn assert_log_group_error_goes_when_fixed(
        server: &mut Server,
        uri: &Uri,
        text: &str,
        at: Position,
    ) {
        let log_group_error = |published: &PublishDiagnosticsParams| {
            published
                .diagnostics
                .iter()
                .find(|d| {
                    code(d) == "CWLI007"
                        && d.severity == Some(DiagnosticSeverity::ERROR)
                        && d.message.contains("logs:CreateLogGroup")
                })
                .map(|d| d.range.start)
        };
        let published = open(server, uri, text);
        assert_eq!(
            log_group_error(&published),
            Some(at),
            "{:?}",
            published.diagnostics
        );
        let fixed = text.replace("log-group:/aws/", "log-group:aws/");
        assert_eq!(log_group_error(&open(server, uri, &fixed)), None);
    }

    #[test]
    fn a_module_s_import_scenario_is_checked_as_a_file_of_it_is_edited() {
        // The module's other files are read from disk beside the edited one.
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/cloudwatch-logs-import/module-aws-example");
        for name in ["main.tf", "documents.tf"] {
            std::fs::copy(fixture.join(name), dir.path().join(name)).unwrap();
        }
        let uri = uri(&dir.path().join("iam.tf"));
        let mut server = Server::default();
        let text = std::fs::read_to_string(fixture.join("iam.tf")).unwrap();
        assert_log_group_error_goes_when_fixed(&mut server, &uri, &text, Position::new(18, 12));
    }

    #[test]
    fn a_module_is_read_again_once_a_file_of_its_directory_changes() {
        let dir = tempfile::tempdir().unwrap();
        let variables = dir.path().join("variables.tf");
        let default = |arn: &str| format!("variable \"arn\" {{\n  default = \"{arn}\"\n}}\n");
        std::fs::write(&variables, default("arn:aws:s3:::bucket/*")).unwrap();
        let uri = uri(&dir.path().join("main.tf"));
        let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"s3:GetObject\", Resource = var.arn }]\n  })\n}\n";
        let mut server = Server::default();
        assert!(open(&mut server, &uri, text).diagnostics.is_empty());
        let mut version = 1;
        let mut edit = |server: &mut Server| -> Vec<String> {
            version += 1;
            let edited = published(&server.handle(notify(
                DidChangeTextDocument::METHOD,
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
            )));
            edited
                .diagnostics
                .iter()
                .map(|d| code(d).to_string())
                .collect()
        };
        // The sibling changes on disk (a checkout, another program): the next edit of main.tf
        // sees it, with no save and no watched-file notification.
        std::fs::write(&variables, default("arn:aws:s3:bucket")).unwrap();
        assert_eq!(edit(&mut server), ["IAM201"]);
        // Saved in the editor, the sibling is read again, and the next check sees it.
        std::fs::write(&variables, default("arn:aws:s3:::bucket/*")).unwrap();
        let saved = server.handle(notify(
            DidSaveTextDocument::METHOD,
            json!({"textDocument": {"uri": self::uri(&variables)}}),
        ));
        assert!(saved.is_empty(), "variables.tf is not open: {saved:?}");
        assert!(edit(&mut server).is_empty());
        // Changed on disk by another program, as the client's file watcher reports.
        std::fs::write(&variables, default("arn:aws:s3:bucket")).unwrap();
        let watched = server.handle(notify(
            DidChangeWatchedFiles::METHOD,
            json!({"changes": [{"uri": self::uri(&variables), "type": 2}]}),
        ));
        assert!(watched.is_empty());
        assert_eq!(edit(&mut server), ["IAM201"]);
        std::fs::write(&variables, default("arn:aws:s3:::bucket/*")).unwrap();
        assert!(edit(&mut server).is_empty());
    }

    #[test]
    fn terraform_files_are_served() {
        let dir = tempfile::tempdir().unwrap();
        let uri = uri(&dir.path().join("main.tf"));
        let mut server = Server::default();
        let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"allow\", Action = \"s3:GetObject\", Resource = aws_s3_bucket.b.arn }]\n  })\n}\n";
        let published = open(&mut server, &uri, text);
        let [d] = published.diagnostics.as_slice() else {
            panic!("{:?}", published.diagnostics)
        };
        assert_eq!(code(d), "IAM011");
        assert_eq!(d.range.start, Position::new(3, 28));
        assert_eq!(
            d.data.as_ref().unwrap()["logical_path"],
            "aws_iam_policy.p.policy.Statement[0].Effect"
        );
        let broken = open(&mut server, &uri, "resource \"a\" {\n");
        assert_eq!(code(&broken.diagnostics[0]), "IAM041");
    }

    #[test]
    fn the_configs_var_files_give_terraform_variables_their_values() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("prod.tfvars"), "roles = \"*\"\n").unwrap();
        std::fs::write(
            dir.path().join("iamlint.toml"),
            "var-files = [\"prod.tfvars\"]\n",
        )
        .unwrap();
        let uri = uri(&dir.path().join("main.tf"));
        let mut server = Server::default();
        let text = "variable \"roles\" {\n  default = \"arn:aws:iam::111122223333:role/app\"\n}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = var.roles }]\n  })\n}\n";
        let published = open(&mut server, &uri, text);
        let codes: Vec<&str> = published.diagnostics.iter().map(code).collect();
        assert_eq!(codes, ["IAM402"], "{:?}", published.diagnostics);

        std::fs::write(
            dir.path().join("iamlint.toml"),
            "var-files = [\"gone.tfvars\"]\n",
        )
        .unwrap();
        let bad = open(&mut server, &uri, text);
        assert!(
            bad.diagnostics[0].message.contains("iamlint.toml:1:14"),
            "{:?}",
            bad.diagnostics
        );
    }

    #[test]
    fn the_documents_config_applies() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("iam")).unwrap();
        std::fs::write(dir.path().join("iamlint.toml"), "ignore = [\"IAM011\"]\n").unwrap();
        let mut server = Server::default();
        let inside = open(&mut server, &uri(&dir.path().join("iam/a.json")), BROKEN);
        assert!(inside.diagnostics.is_empty(), "{:?}", inside.diagnostics);

        std::fs::write(dir.path().join("iamlint.toml"), "ignore = [\"IAM11\"]\n").unwrap();
        let bad = open(&mut server, &uri(&dir.path().join("iam/b.json")), BROKEN);
        assert!(
            bad.diagnostics[0].message.contains("iamlint.toml:1:"),
            "{:?}",
            bad.diagnostics
        );
    }

    #[test]
    fn quick_fixes_and_fix_all() {
        let dir = tempfile::tempdir().unwrap();
        let uri = uri(&dir.path().join("a.json"));
        let mut server = Server::default();
        let text = BROKEN.replace("  \"Version\": \"2012-10-17\",\n", "");
        let diagnostics = open(&mut server, &uri, &text).diagnostics;
        assert_eq!(diagnostics.len(), 2);
        let request = |only: serde_json::Value, range: Range| {
            Message::Request(Request::new(
                RequestId::from(7),
                CodeActionRequest::METHOD.to_string(),
                json!({"textDocument": {"uri": uri}, "range": range,
                       "context": {"diagnostics": [], "only": only}}),
            ))
        };
        let effect = diagnostics.iter().find(|d| code(d) == "IAM011").unwrap();
        let replies = server.handle(request(json!(["quickfix"]), effect.range));
        let [Message::Response(response)] = replies.as_slice() else {
            panic!("{replies:?}")
        };
        let actions: Vec<CodeAction> =
            serde_json::from_value(response.result.clone().unwrap()).unwrap();
        let [action] = actions.as_slice() else {
            panic!("{actions:?}")
        };
        assert_eq!(action.title, "replace with \"Allow\" (IAM011)");
        let edits = &action.edit.as_ref().unwrap().changes.as_ref().unwrap()[&uri];
        assert_eq!(edits[0].range, effect.range);
        assert_eq!(edits[0].new_text, "\"Allow\"");

        let whole = Range::new(Position::new(0, 0), Position::new(9, 0));
        let replies = server.handle(request(json!(["source.fixAll"]), whole));
        let [Message::Response(response)] = replies.as_slice() else {
            panic!("{replies:?}")
        };
        let actions: Vec<CodeAction> =
            serde_json::from_value(response.result.clone().unwrap()).unwrap();
        let edits = &actions[0].edit.as_ref().unwrap().changes.as_ref().unwrap()[&uri];
        assert_eq!(edits[0].new_text, BROKEN.replace("allow", "Allow"));

        let unknown = server.handle(Message::Request(Request::new(
            RequestId::from(8),
            "textDocument/hover".into(),
            json!({}),
        )));
        let [Message::Response(response)] = unknown.as_slice() else {
            panic!()
        };
        assert_eq!(
            response.error.as_ref().unwrap().code,
            ErrorCode::MethodNotFound as i32
        );
    }

    #[test]
    fn file_uris_decode() {
        let uri = Uri::from_str("file:///tmp/a%20b/%C3%A9.json").unwrap();
        assert_eq!(file_path(&uri), Some(PathBuf::from("/tmp/a b/é.json")));
        let untitled = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(file_path(&untitled), None);
    }
}
