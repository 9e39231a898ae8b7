//! The `samlscope` binary: parse flags, read inputs, run the library, print, exit.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use samlscope::analysis::{analyze, analyze_message, extract_input, Input, InputData, Limits};
use samlscope::cli::{
    AnalyzeArgs, Cli, ColorChoice, Command, DecodeArgs, DiffArgs, DiffFormat, FailOn, Format,
    RedactArgs, RulesFormat,
};
use samlscope::config::Config;
use samlscope::profile::Idp;
use samlscope::report::{html, json, markdown, pretty::pretty_print, printable, table};
use samlscope::rules::{explain, find_rule, unknown_rule, Scope, Selection, Severity, RULES};

/// Exit status: no error finding / a finding at or above --fail-on / usage or I/O error.
const EXIT_OK: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;

/// `man`: the man page, generated from the CLI definition.
fn run_man() -> Result<u8, String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| format!("writing the man page: {e}"))?;
    print(&String::from_utf8_lossy(&out)).map(|_| EXIT_OK)
}

/// `explain RULE [--idp IDP]`.
fn run_explain(rule: &str, idp: Option<&str>) -> Result<u8, String> {
    let only = match idp {
        None => None,
        Some(k) => Some(Idp::from_key(k).ok_or_else(|| {
            let keys: Vec<&str> = Idp::ALL.iter().map(|i| i.key()).collect();
            format!("--idp: {k:?} is not an IdP profile ({})", keys.join(", "))
        })?),
    };
    match find_rule(rule) {
        Some(r) => print(&explain(r, only)).map(|_| EXIT_OK),
        None => Err(unknown_rule(rule)),
    }
}

fn main() -> ExitCode {
    samlscope::dsig::crypto::init_without_config();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => run_analyze(*args),
        Command::Decode(args) => run_decode(args),
        Command::Redact(args) => run_redact(args),
        Command::Diff(args) => run_diff(*args),
        Command::Rules { format } => print(&rules_listing(format)).map(|_| EXIT_OK),
        Command::Explain { rule, idp } => run_explain(&rule, idp.as_deref()),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "samlscope", &mut out);
            print(&String::from_utf8_lossy(&out)).map(|_| EXIT_OK)
        }
        Command::Man => run_man(),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {}", printable(&message));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn rules_listing(format: RulesFormat) -> String {
    if format == RulesFormat::Json {
        let rules: Vec<serde_json::Value> = RULES
            .iter()
            .map(|r| {
                serde_json::json!({
                    "name": r.name,
                    "severity": r.severity.as_str(),
                    "scope": if r.scope == Scope::Flex { "flex" } else { "any" },
                    "needs": r.needs.map(|n| n.flag()),
                    "summary": r.summary,
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&rules).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    RULES
        .iter()
        .map(|r| format!("{:<width$}  {:<7}  {}\n", r.name, r.severity.as_str(), r.summary))
        .collect()
}

/// Where a report goes: standard output, or a file written under a temporary name and
/// renamed by [`Sink::finish`], so it is whole or absent.
struct Sink {
    out: std::io::BufWriter<Box<dyn Write>>,
    file: Option<(PathBuf, PathBuf)>,
}

impl Sink {
    fn open(path: Option<&std::path::Path>) -> Result<Sink, String> {
        let Some(path) = path else {
            return Ok(Sink {
                out: std::io::BufWriter::new(Box::new(std::io::stdout().lock())),
                file: None,
            });
        };
        let tmp = path.with_extension("samlscope-partial");
        let file = std::fs::File::create(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        Ok(Sink {
            out: std::io::BufWriter::new(Box::new(file)),
            file: Some((tmp, path.to_path_buf())),
        })
    }

    /// Writes `s`; a closed pipe on standard output is not an error.
    fn write(&mut self, s: &[u8]) -> Result<(), String> {
        match self.out.write_all(s) {
            Err(e) if self.file.is_some() || e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(format!("writing output: {e}"))
            }
            _ => Ok(()),
        }
    }

    /// Flushes, and puts a file output in its place; on error a file output is removed.
    fn finish(mut self, ok: bool) -> Result<(), String> {
        let flushed = self.out.flush();
        let Some((tmp, path)) = self.file.take() else {
            return match flushed {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("writing output: {e}"))
                }
                _ => Ok(()),
            };
        };
        drop(self.out);
        if ok && flushed.is_ok() {
            std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))
        } else {
            let _ = std::fs::remove_file(&tmp);
            flushed.map_err(|e| format!("{}: {e}", tmp.display()))
        }
    }
}

fn print(s: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("writing output: {e}")),
        _ => Ok(()),
    }
}

/// Opens every input; an unreadable one is reported and the others still run. Files are
/// memory-mapped (a 500 MB HAR stays in the page cache, not the heap); stdin is streamed.
fn open_inputs(paths: &[PathBuf]) -> Result<(Vec<Input>, bool), String> {
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
        let stdin = p.as_os_str() == "-";
        let name = if stdin { "stdin".to_string() } else { p.display().to_string() };
        if stdin && std::io::stdin().is_terminal() {
            eprintln!("samlscope: reading the input from the terminal (paste it, then Ctrl-D)");
        }
        let opened = if stdin { spool_stdin() } else { open_file(&p) };
        match opened {
            Ok(data) => inputs.push(Input { name, data }),
            Err(e) => {
                eprintln!("error: {}", printable(&format!("{name}: {e}")));
                failed = true;
            }
        }
    }
    Ok((inputs, failed))
}

/// Copies standard input to an unlinked temporary file and maps it, so a piped 500 MB HAR is
/// held by the page cache rather than the heap.
fn spool_stdin() -> std::io::Result<InputData> {
    use std::os::fd::AsFd;
    // `samlscope analyze - < file`: standard input is the file itself, map it directly.
    let fd = std::io::stdin().as_fd().try_clone_to_owned()?;
    let stdin_file = std::fs::File::from(fd);
    if stdin_file.metadata().is_ok_and(|m| m.is_file() && m.len() > 0) {
        // SAFETY: as for any mapped input file.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&stdin_file) } {
            return Ok(InputData::Mapped(map));
        }
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!("samlscope-stdin-{}-{nanos}", std::process::id()));
    let mut file =
        std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
    let _ = std::fs::remove_file(&path);
    std::io::copy(&mut std::io::stdin().lock(), &mut file)?;
    if file.metadata()?.len() == 0 {
        return Ok(InputData::Bytes(Vec::new()));
    }
    // SAFETY: the file is private to this process (created exclusively, already unlinked).
    let map = unsafe { memmap2::Mmap::map(&file)? };
    Ok(InputData::Mapped(map))
}

fn open_file(path: &Path) -> std::io::Result<InputData> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::other("is a directory"));
    }
    if meta.len() == 0 || !meta.is_file() {
        let mut buf = Vec::new();
        let mut f = file;
        f.read_to_end(&mut buf)?;
        return Ok(InputData::Bytes(buf));
    }
    // SAFETY: the map is read-only and private to this process; a file truncated by another
    // process while mapped could fault, which is the documented limit of mapping inputs.
    let map = unsafe { memmap2::Mmap::map(&file)? };
    Ok(InputData::Mapped(map))
}

/// `redact INPUT [-o OUT] [--pseudonymize] [--dry-run]`: the summary goes to stderr; a file
/// output is written to a temporary name and renamed, so it is whole or absent.
fn run_redact(args: RedactArgs) -> Result<u8, String> {
    let (inputs, _) = open_inputs(std::slice::from_ref(&args.input))?;
    let Some(input) = inputs.into_iter().next() else { return Ok(EXIT_USAGE) };
    let bytes: &[u8] = match &input.data {
        InputData::Bytes(b) => b,
        InputData::Mapped(m) => m,
    };
    let summary = if args.dry_run {
        samlscope::redact::redact(bytes, &mut std::io::sink(), args.pseudonymize)
    } else {
        let mut sink = Sink::open(args.output.as_deref())?;
        let result = samlscope::redact::redact(bytes, &mut sink.out, args.pseudonymize);
        sink.finish(result.is_ok())?;
        result
    };
    match summary {
        Ok(s) => {
            eprint!("{s}");
            Ok(EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {}", printable(&e.to_string()));
            Ok(EXIT_FINDINGS)
        }
    }
}

/// The files of `paths`, directories read whole (recursively, sorted), in order.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                let entries =
                    std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                for e in entries.flatten() {
                    let path = e.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// `analyze --format jsonl`: each input analysed on its own, `--jobs` at a time, one JSON line
/// each in input order. Inputs are opened by the worker that analyses them and results are
/// written a window at a time, so memory does not grow with the number of inputs.
fn run_batch(
    args: &AnalyzeArgs,
    config: &Config,
    selection: &Selection,
    threshold: Severity,
) -> Result<u8, String> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let files = expand(&args.inputs)?;
    if files.is_empty() {
        return Err("no input: give files or directories with --format jsonl".into());
    }
    let jobs = samlscope::workers::threads(args.jobs.map_or(0, usize::from));
    let failing = AtomicBool::new(false);
    let unreadable = AtomicBool::new(false);
    let window = (jobs * 64).max(64);
    let mut out = Sink::open(args.output.as_deref())?;
    for chunk in files.chunks(window) {
        let lines = samlscope::workers::map_ordered(chunk.iter().collect(), jobs, |_, path| {
            let name = path.display().to_string();
            match open_file(path) {
                Ok(data) => {
                    // The inputs are the unit of parallelism here: one thread each.
                    let limits = Limits { jobs: 1, ..Limits::default() };
                    let input = Input { name: name.clone(), data };
                    let a = analyze(vec![input], config, selection, limits);
                    if a.findings.iter().any(|f| f.severity <= threshold) {
                        failing.store(true, Ordering::Relaxed);
                    }
                    Some(json::render_line(&a, &name))
                }
                Err(e) => {
                    unreadable.store(true, Ordering::Relaxed);
                    eprintln!("error: {}", printable(&format!("{name}: {e}")));
                    None
                }
            }
        });
        if !args.quiet {
            for line in lines.into_iter().flatten() {
                out.write(line.as_bytes())?;
            }
        }
    }
    out.finish(true)?;
    Ok(if unreadable.load(Ordering::Relaxed) {
        EXIT_USAGE
    } else if failing.load(Ordering::Relaxed) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// `diff GOOD BAD`: exit 0 when nothing relevant differs, 1 otherwise.
fn run_diff(args: DiffArgs) -> Result<u8, String> {
    let config = Config::resolve(&args.setup)?;
    let mut sides = Vec::new();
    for path in [&args.good, &args.bad] {
        let (inputs, _) = open_inputs(std::slice::from_ref(path))?;
        if inputs.is_empty() {
            return Ok(EXIT_USAGE);
        }
        sides.push(analyze(inputs, &config, &Selection::default(), Limits::default()));
    }
    let d = samlscope::diff::diff(&sides[0], &sides[1], &config);
    let rendered = match args.format {
        DiffFormat::Table => d.render_text(),
        DiffFormat::Json => d.render_json(),
        DiffFormat::Markdown => d.render_markdown(),
    };
    print(&rendered)?;
    Ok(if d.is_empty() { EXIT_OK } else { EXIT_FINDINGS })
}

fn run_analyze(args: AnalyzeArgs) -> Result<u8, String> {
    let config = Config::resolve(&args.setup)?;
    let mut selection = Selection { only: args.only.clone(), ignore: args.ignore.clone() };
    selection.validate()?;
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    if args.format == Format::Jsonl {
        return run_batch(&args, &config, &selection, threshold);
    }
    let (inputs, failed) = open_inputs(&args.inputs)?;
    if inputs.is_empty() {
        return Ok(EXIT_USAGE); // every input was unreadable: said on stderr, nothing to report
    }
    let limits = Limits { jobs: args.jobs.map_or(0, usize::from), ..Limits::default() };
    let analysis = analyze(inputs, &config, &selection, limits);
    let tty = std::io::stdout().is_terminal();
    let width = args.width.or(if tty { None } else { Some(100) });
    let rendered = match args.format {
        Format::Table => table::render(&analysis, width, use_color(args.color, tty)),
        Format::Json => json::render(&analysis),
        Format::Markdown => markdown::render(&analysis),
        Format::Html => html::render(&analysis),
        Format::Jsonl => json::render_line(&analysis, "-"),
    };
    if !args.quiet || args.output.is_some() {
        let mut sink = Sink::open(args.output.as_deref())?;
        sink.write(rendered.as_bytes())?;
        sink.finish(true)?;
    }
    let code = if failed {
        EXIT_USAGE
    } else if analysis.findings.iter().any(|f| f.severity <= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The process exits next: freeing every parsed document node by node would cost a
    // twentieth of a run of many messages, and the system takes the memory back anyway.
    std::mem::forget(analysis);
    Ok(code)
}

/// `--color`, with the conventions of ripgrep and friends: NO_COLOR (when not empty) turns
/// colour off, CLICOLOR_FORCE or FORCE_COLOR (when not empty or "0") turn it on.
fn use_color(choice: ColorChoice, tty: bool) -> bool {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") || set("FORCE_COLOR") => true,
        ColorChoice::Auto => tty && !std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty()),
    }
}

fn run_decode(args: DecodeArgs) -> Result<u8, String> {
    let (inputs, failed) = open_inputs(&args.inputs)?;
    let limits = Limits::default();
    let mut out = Vec::new();
    let mut problems = false;
    let mut found = 0;
    for input in inputs {
        let name = input.name.clone();
        let extracted = extract_input(input, limits.input);
        for p in &extracted.problems {
            eprintln!("error: {}", printable(&format!("{}: {}", p.source.input, p.message)));
            problems = true;
        }
        found += extracted.messages.len();
        for (i, captured) in extracted.messages.into_iter().enumerate() {
            if args.raw {
                // Bytes as decoded for a pipe; on a terminal, control characters made inert.
                if std::io::stdout().is_terminal() {
                    let text = String::from_utf8_lossy(&captured.xml);
                    out.extend_from_slice(printable(&text).as_bytes());
                } else {
                    out.extend_from_slice(&captured.xml);
                }
                continue;
            }
            let n = i + 1;
            let header = format!("<!-- {name} #{n}: {} -->\n", captured.layers.join(" → "));
            out.extend_from_slice(printable(&header).as_bytes());
            let m = analyze_message(i, captured, &Config::default(), limits.xml);
            match (&m.doc, &m.xml_error) {
                (Some(doc), _) => {
                    out.extend_from_slice(printable(&pretty_print(doc)).as_bytes());
                }
                (_, Some(e)) => {
                    // What was decoded is still shown: the error says where it breaks.
                    let text = String::from_utf8_lossy(&m.captured.xml);
                    out.extend_from_slice(printable(&text).as_bytes());
                    if !m.captured.xml.ends_with(b"\n") {
                        out.push(b'\n');
                    }
                    eprintln!(
                        "error: {}",
                        printable(&format!("{name} #{n}: decoded, but not usable XML: {e}"))
                    );
                    problems = true;
                }
                _ => {}
            }
        }
    }
    if found == 0 && !problems && !failed {
        eprintln!("error: no SAML message found in the input\nhint: give a HAR, a SAMLResponse or SAMLRequest value, a URL or a form body that carries one");
        problems = true;
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
