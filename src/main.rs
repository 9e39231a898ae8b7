//! The `samlscope` binary: parse flags, read inputs, run the library, print, exit.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use samlscope::analysis::{analyze, analyze_message, Input, Limits};
use samlscope::cli::{AnalyzeArgs, Cli, Command, DecodeArgs, FailOn, Format};
use samlscope::config::Config;
use samlscope::input::extract;
use samlscope::report::{json, markdown, pretty::pretty_print, table};
use samlscope::rules::{find_rule, Selection, Severity, RULES};

/// Exit status: no error finding / a finding at or above --fail-on / usage or I/O error.
const EXIT_OK: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => run_analyze(*args),
        Command::Decode(args) => run_decode(args),
        Command::Rules => print(&rules_listing()).map(|_| EXIT_OK),
        Command::Explain { rule } => match find_rule(&rule) {
            Some(r) => print(&format!(
                "# {} ({})\n\n{}\n\n{}",
                r.name,
                r.severity.as_str(),
                r.summary,
                r.doc
            ))
            .map(|_| EXIT_OK),
            None => Err(format!("unknown rule {rule:?}; `samlscope rules` lists them")),
        },
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("samlscope: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn rules_listing() -> String {
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    RULES
        .iter()
        .map(|r| format!("{:<width$}  {:<7}  {}\n", r.name, r.severity.as_str(), r.summary))
        .collect()
}

fn print(s: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("writing output: {e}")),
        _ => Ok(()),
    }
}

/// Reads every input; an unreadable one is reported and the others still run.
fn read_inputs(paths: &[PathBuf]) -> Result<(Vec<Input>, bool), String> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        if std::io::stdin().is_terminal() {
            return Err(
                "no input: give a file (HAR, XML, base64, URL) or pipe one into stdin".into()
            );
        }
        vec![PathBuf::from("-")]
    } else {
        paths.to_vec()
    };
    let mut inputs = Vec::new();
    let mut failed = false;
    for p in paths {
        let name = p.display().to_string();
        let read = if name == "-" {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        } else {
            std::fs::read(&p)
        };
        match read {
            Ok(bytes) => inputs.push(Input { name, bytes }),
            Err(e) => {
                eprintln!("samlscope: {name}: {e}");
                failed = true;
            }
        }
    }
    Ok((inputs, failed))
}

fn run_analyze(args: AnalyzeArgs) -> Result<u8, String> {
    let config = Config::resolve(&args.setup)?;
    let selection = Selection { only: args.only.clone(), ignore: args.ignore.clone() };
    selection.validate()?;
    let (inputs, failed) = read_inputs(&args.inputs)?;
    let analysis = analyze(&inputs, &config, &selection, Limits::default());
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let rendered = match args.format {
        Format::Table => table::render(&analysis, args.width, color),
        Format::Json => json::render(&analysis),
        Format::Markdown => markdown::render(&analysis),
    };
    print(&rendered)?;
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    Ok(if failed {
        EXIT_USAGE
    } else if analysis.findings.iter().any(|f| f.severity <= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn run_decode(args: DecodeArgs) -> Result<u8, String> {
    let (inputs, failed) = read_inputs(&args.inputs)?;
    let limits = Limits::default();
    let mut out = Vec::new();
    let mut problems = false;
    for input in &inputs {
        let extracted = extract(&input.name, &input.bytes, limits.input);
        for p in &extracted.problems {
            eprintln!("samlscope: {}: {}", p.source.input, p.message);
            problems = true;
        }
        for (i, captured) in extracted.messages.into_iter().enumerate() {
            if args.raw {
                out.extend_from_slice(&captured.xml);
                continue;
            }
            let header = format!("<!-- {} #{i}: {} -->\n", input.name, captured.layers.join(" → "));
            out.extend_from_slice(header.as_bytes());
            let m = analyze_message(i, captured, &Config::default(), limits.xml);
            match (&m.doc, &m.xml_error) {
                (Some(doc), _) => out.extend_from_slice(pretty_print(doc).as_bytes()),
                (_, Some(e)) => {
                    eprintln!("samlscope: {}: {e}", input.name);
                    problems = true;
                }
                _ => {}
            }
        }
    }
    print(&String::from_utf8_lossy(&out))?;
    Ok(if failed {
        EXIT_USAGE
    } else if problems {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
