//! The command line, as raw values (clap derive). `config.rs` validates and resolves them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Tells you why a SAML single sign-on login failed, and what to change.
#[derive(Debug, Parser)]
#[command(name = "samlscope", version, about, max_term_width = 100, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Shown after `--help`.
const EXAMPLES: &str = "Examples:
  samlscope analyze login.har --cert idp.pem --flex-connection JQ0123…
  pbpaste | samlscope analyze --cert idp.pem --entity-id https://sp.example.com/metadata
  samlscope analyze login.har --format json | jq .verdict
  samlscope decode 'https://idp.example.com/sso?SAMLRequest=…'
  samlscope explain audience-mismatch --idp okta";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find every SAML message in the inputs, verify signatures, run the rules, report.
    #[command(after_help = EXAMPLES)]
    Analyze(Box<AnalyzeArgs>),
    /// Decode and pretty-print the SAML XML found in the inputs.
    Decode(DecodeArgs),
    /// Write a HAR or SAML-tracer export without what lets someone act as the user (cookies,
    /// tokens, passwords, bodies a diagnosis does not need), keeping every SAML message.
    #[command(after_help = REDACT_EXAMPLES)]
    Redact(RedactArgs),
    /// Compare a working login with a failing one: what differs, most relevant first, each
    /// difference linked to the finding of the failing login it explains.
    Diff(Box<DiffArgs>),
    /// List every rule: name, default severity, one line.
    Rules {
        /// text (a table) or json (for scripts).
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Print shell completions for SHELL (bash, zsh, fish, elvish, powershell) to stdout.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout: `samlscope man > samlscope.1`.
    Man,
    /// Print a rule's full documentation.
    Explain {
        /// The rule name, e.g. audience-mismatch.
        rule: String,
        /// Show the fix for this IdP only (salesforce, okta, entra, adfs, google, onelogin,
        /// pingfederate, keycloak, shibboleth, auth0, generic) [default: every IdP].
        #[arg(long, value_name = "IDP")]
        idp: Option<String>,
    },
}

/// Arguments of `samlscope analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Inputs: files, or `-` for standard input (the default when stdin is not a terminal).
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// What the admin configured.
    #[command(flatten)]
    pub setup: SetupArgs,
    /// Run only these rules (repeatable).
    #[arg(long = "only", value_name = "RULE")]
    pub only: Vec<String>,
    /// Do not run these rules (repeatable).
    #[arg(long = "ignore", value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Exit 1 when a finding of this severity or worse is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Table width in columns [default: the terminal's width, 100 off a terminal].
    #[arg(long, value_parser = clap::value_parser!(u16).range(MIN_WIDTH..))]
    pub width: Option<u16>,
    /// When to colour the table: auto (a terminal, unless NO_COLOR is set and not empty;
    /// CLICOLOR_FORCE or FORCE_COLOR force it), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing: the exit status says whether the login fails.
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the report here instead of standard output (written whole or not at all).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Threads: inputs analysed at once with --format jsonl, else the messages of a capture
    /// analysed at once [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// The narrowest table that still reads.
pub const MIN_WIDTH: i64 = 60;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, following NO_COLOR, CLICOLOR_FORCE and FORCE_COLOR.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The service provider and identity provider settings a trace is checked against.
#[derive(Debug, Args, Default, Clone)]
pub struct SetupArgs {
    /// JSON file with any of the keys below (flags win).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// IdP signing certificate: PEM, DER, or the bare base64 pasted in Flex (repeatable).
    #[arg(long, value_name = "FILE")]
    pub cert: Vec<PathBuf>,
    /// IdP SAML metadata: entityID, signing certificates, SSO endpoints.
    #[arg(long, value_name = "FILE")]
    pub idp_metadata: Option<PathBuf>,
    /// "Identity Provider Issuer" as configured in Flex.
    #[arg(long, value_name = "URL")]
    pub idp_issuer: Option<String>,
    /// The service provider's entity ID (the expected Audience).
    #[arg(long, value_name = "ID")]
    pub entity_id: Option<String>,
    /// The expected Destination / Recipient (Assertion Consumer Service URL).
    #[arg(long, value_name = "URL")]
    pub acs_url: Option<String>,
    /// Where the AuthnRequest should be sent ("SSO URL" in Flex).
    #[arg(long, value_name = "URL")]
    pub sso_url: Option<String>,
    /// Flex legacy configuration: derive entity ID and ACS URL from this account SID.
    #[arg(long, value_name = "AC...")]
    pub flex_account: Option<String>,
    /// Flex enhanced configuration: derive entity ID and ACS URL from this connection ID.
    #[arg(long, value_name = "JQ...")]
    pub flex_connection: Option<String>,
    /// Flex region of the enhanced configuration.
    #[arg(long, value_name = "REGION")]
    pub flex_region: Option<String>,
    /// Evaluation time (RFC 3339) for inputs that carry no capture time.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Allowed clock skew, e.g. 90s, 3m [default: 3m].
    #[arg(long, value_name = "DURATION")]
    pub skew: Option<String>,
    /// Service-provider profile: flex runs the Flex rules [default: detected from the flags and
    /// the trace].
    #[arg(long, value_name = "PROFILE", value_parser = ["flex", "generic"])]
    pub sp: Option<String>,
    /// IdP profile, so that fixes name that IdP's settings: salesforce, okta, entra, adfs,
    /// google, onelogin, pingfederate, keycloak, shibboleth, auth0, generic [default: detected].
    #[arg(long, value_name = "IDP")]
    pub idp: Option<String>,
    /// SP private key (PEM, PKCS#1 or PKCS#8) to decrypt EncryptedAssertion (repeatable: a key
    /// rollover).
    #[arg(long, value_name = "FILE")]
    pub sp_key: Vec<PathBuf>,
    /// Environment variable that holds the password of an encrypted --sp-key.
    #[arg(long, value_name = "VAR")]
    pub sp_key_password_env: Option<String>,
    /// SP signing certificate: verifies signed AuthnRequests and SP logout messages (Redirect
    /// query or POST) (repeatable).
    #[arg(long, value_name = "FILE")]
    pub sp_cert: Vec<PathBuf>,
    /// SP SAML metadata: entity ID, ACS URL and signing certificates.
    #[arg(long, value_name = "FILE")]
    pub sp_metadata: Option<PathBuf>,
}

const REDACT_EXAMPLES: &str = "Examples:
  samlscope redact login.har -o login.redacted.har
  samlscope redact --pseudonymize login.har > safe.har   # also replace people in the SAML
  samlscope redact --dry-run login.har                   # only say what would be removed";

/// Arguments of `samlscope diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The working login: any input `analyze` accepts.
    pub good: PathBuf,
    /// The failing login.
    pub bad: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// What the admin configured (applied to both).
    #[command(flatten)]
    pub setup: SetupArgs,
}

/// Arguments of `samlscope redact`.
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// The HAR or SAML-tracer export, or `-` for standard input.
    pub input: PathBuf,
    /// Write here instead of standard output (written whole or not at all).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also replace personal data in the SAML messages (NameID, attribute values other than
    /// roles) by consistent pseudonyms; their signatures then no longer verify.
    #[arg(long)]
    pub pseudonymize: bool,
    /// Print only the summary of what would be removed.
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `samlscope decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Inputs: files, or `-` for standard input.
    pub inputs: Vec<PathBuf>,
    /// Print the exact decoded bytes instead of pretty-printing (pretty-printing breaks signatures);
    /// on a terminal, control characters are shown as escapes.
    #[arg(long)]
    pub raw: bool,
}

/// Formats of `samlscope rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// One line per rule.
    Text,
    /// A JSON array of {name, severity, scope, needs, summary}.
    Json,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// One JSON object (the contract in the README).
    Json,
    /// Markdown to paste into a support ticket.
    Markdown,
    /// One self-contained HTML page: verdict and fixes, the login as a sequence diagram,
    /// validity windows, each message's XML with what is signed and what is read.
    Html,
    /// Batch mode: one JSON report per input on one line each (directories are read whole),
    /// analysed in parallel, in input order.
    Jsonl,
}

/// Formats of `samlscope diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Lines for people.
    Table,
    /// One JSON object: differences, new and gone findings.
    Json,
    /// Markdown to paste into a support ticket.
    Markdown,
}

/// The exit-status threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 on any error finding.
    Error,
    /// Exit 1 on any error or warning finding.
    Warning,
}
