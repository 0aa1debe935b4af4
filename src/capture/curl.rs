//! A `curl` command line as browsers' "Copy as cURL" and people write it: `-H`, `-d`/`--data*`,
//! `--json`, `-X`, `-u`, line continuations (`\` or `^` at the end of a line), single, double
//! and `$'…'` quotes. Each word keeps a map from its decoded bytes to the command's bytes.

use super::{Capture, Format, Header, HeaderInsert, InsertStyle, Origin, ParseProblem};

pub fn looks_like(text: &str) -> bool {
    let t = text.trim_start_matches(['$', ' ']);
    t.starts_with("curl ") || t.starts_with("curl\t") || t.starts_with("curl.exe ")
}

/// A shell word: its decoded text and, per decoded byte, the bytes of the command it came from.
struct Word {
    text: String,
    map: Vec<(usize, usize)>,
}

/// Adds a character read verbatim at `at`.
fn push(word: &mut Word, c: char, at: usize) {
    for k in 0..c.len_utf8() {
        word.map.push((at + k, at + k + 1));
    }
    word.text.push(c);
}

/// Adds a character decoded from the escape sequence at `raw`.
fn push_escape(word: &mut Word, c: char, raw: std::ops::Range<usize>) {
    for _ in 0..c.len_utf8() {
        word.map.push((raw.start, raw.end));
    }
    word.text.push(c);
}

/// Splits a command into words the way a POSIX shell would (no expansion).
fn words(text: &str, start: usize) -> Result<Vec<Word>, ParseProblem> {
    let mut out = Vec::new();
    let mut chars = text[start..].char_indices().map(|(i, c)| (i + start, c)).peekable();
    let mut current: Option<Word> = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some((_, '\n')) => {
                    chars.next();
                }
                Some((_, '\r')) => {
                    chars.next();
                    if matches!(chars.peek(), Some((_, '\n'))) {
                        chars.next();
                    }
                }
                Some((j, n)) => {
                    chars.next();
                    push_escape(
                        current.get_or_insert_with(|| Word { text: String::new(), map: vec![] }),
                        n,
                        i..j + n.len_utf8(),
                    );
                }
                None => {}
            },
            // Windows cmd continuation.
            '^' if matches!(chars.peek(), Some((_, '\n' | '\r'))) => {
                while matches!(chars.peek(), Some((_, '\n' | '\r'))) {
                    chars.next();
                }
            }
            ' ' | '\t' | '\n' | '\r' => {
                if let Some(w) = current.take() {
                    out.push(w);
                }
            }
            '\'' => {
                let w = current.get_or_insert_with(|| Word { text: String::new(), map: vec![] });
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((j, q)) => push(w, q, j),
                        None => {
                            return Err(ParseProblem {
                                code: "FL902",
                                message: "unterminated single quote in the curl command".into(),
                                at: i,
                            })
                        }
                    }
                }
            }
            '$' if matches!(chars.peek(), Some((_, '\''))) => {
                chars.next();
                let w = current.get_or_insert_with(|| Word { text: String::new(), map: vec![] });
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((j, '\\')) => {
                            let Some((mut end, e)) = chars.next() else { break };
                            end += 1;
                            let decoded = match e {
                                'n' => '\n',
                                'r' => '\r',
                                't' => '\t',
                                '0' => '\0',
                                'u' | 'x' => {
                                    let mut hex = String::new();
                                    let max = if e == 'u' { 4 } else { 2 };
                                    while hex.len() < max && chars.peek().is_some_and(|(_, h)| h.is_ascii_hexdigit()) {
                                        if let Some((at, h)) = chars.next() {
                                            hex.push(h);
                                            end = at + 1;
                                        }
                                    }
                                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}')
                                }
                                other => other,
                            };
                            push_escape(w, decoded, j..end);
                        }
                        Some((j, q)) => push(w, q, j),
                        None => {
                            return Err(ParseProblem {
                                code: "FL902",
                                message: "unterminated $'…' quote in the curl command".into(),
                                at: i,
                            })
                        }
                    }
                }
            }
            '"' => {
                let w = current.get_or_insert_with(|| Word { text: String::new(), map: vec![] });
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((j, '\\')) => match chars.peek().copied() {
                            Some((k, e @ ('"' | '\\' | '$' | '`'))) => {
                                chars.next();
                                push_escape(w, e, j..k + 1);
                            }
                            Some((_, '\n')) => {
                                chars.next();
                            }
                            _ => push(w, '\\', j),
                        },
                        Some((j, q)) => push(w, q, j),
                        None => {
                            return Err(ParseProblem {
                                code: "FL902",
                                message: "unterminated double quote in the curl command".into(),
                                at: i,
                            })
                        }
                    }
                }
            }
            c => push(current.get_or_insert_with(|| Word { text: String::new(), map: vec![] }), c, i),
        }
    }
    if let Some(w) = current.take() {
        out.push(w);
    }
    Ok(out)
}

/// Flags that take a value this parser does not need.
const SKIP_WITH_VALUE: &[&str] = &[
    "-o",
    "--output",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-x",
    "--proxy",
    "-w",
    "--write-out",
    "--retry",
    "--cacert",
    "--cert",
    "--key",
    "-e",
    "--referer",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-F",
    "--form",
    "--resolve",
    "--interface",
    "-K",
    "--config",
    "--retry-delay",
    "--retry-max-time",
    "--limit-rate",
];

pub fn parse(text: &str, start: usize) -> Result<Capture, ParseProblem> {
    let ws = words(text, start)?;
    let mut method = None;
    let mut url: Option<(String, std::ops::Range<usize>)> = None;
    let mut headers: Vec<Header> = Vec::new();
    let mut body: Option<(String, Vec<(usize, usize)>)> = None;
    let mut json_flag = false;
    let mut extra_secrets = Vec::new();
    let mut data_at = start;
    let curl_end = ws.first().and_then(|w| w.map.last()).map_or(start, |m| m.1);
    let mut i = 1;
    let value_of = |i: usize| ws.get(i);
    while i < ws.len() {
        let w = &ws[i];
        let arg = w.text.as_str();
        // `-HValue` and `--header=Value` forms.
        let (flag, inline) = if let Some((f, v)) = arg.split_once('=').filter(|(f, _)| f.starts_with("--")) {
            (f, Some((v, f.len() + 1)))
        } else if arg.len() > 2
            && arg.starts_with('-')
            && !arg.starts_with("--")
            && matches!(arg.get(..2), Some("-H" | "-d" | "-X" | "-u"))
        {
            (&arg[..2], Some((&arg[2..], 2)))
        } else {
            (arg, None)
        };
        let take = |i: &mut usize| -> Option<(String, Vec<(usize, usize)>)> {
            match inline {
                Some((v, skip)) => {
                    Some((v.to_string(), w.map.get(skip..).map(<[(usize, usize)]>::to_vec).unwrap_or_default()))
                }
                None => {
                    *i += 1;
                    value_of(*i).map(|n| (n.text.clone(), n.map.clone()))
                }
            }
        };
        match flag {
            "-H" | "--header" => {
                if let Some((v, map)) = take(&mut i) {
                    if let Some(colon) = v.find(':') {
                        let mut vs = colon + 1;
                        if v.as_bytes().get(vs) == Some(&b' ') {
                            vs += 1;
                        }
                        headers.push(Header {
                            name: v[..colon].trim().to_string(),
                            value: v[vs..].to_string(),
                            origin: Origin::Mapped(map.get(vs..).map(<[(usize, usize)]>::to_vec).unwrap_or_default()),
                        });
                    }
                }
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii" | "--json" => {
                data_at = w.map.first().map_or(start, |m| m.0);
                json_flag |= flag == "--json";
                if let Some((v, map)) = take(&mut i) {
                    body = Some(match body.take() {
                        // curl joins several -d with `&`.
                        Some((mut t, mut m)) => {
                            let joint = m.last().map_or(0, |l| l.1);
                            t.push('&');
                            m.push((joint, joint));
                            t.push_str(&v);
                            m.extend(map);
                            (t, m)
                        }
                        None => (v, map),
                    });
                }
            }
            "-X" | "--request" => method = take(&mut i).map(|(v, _)| v),
            "-u" | "--user" => {
                // curl sends `Basic base64(user:password)`: not in the text, so the header is
                // made up, and the text's `user:password` is remembered as a secret to mask.
                if let Some((_, map)) = take(&mut i) {
                    if let (Some(first), Some(last)) = (map.first(), map.last()) {
                        extra_secrets.push(first.0..last.1);
                    }
                }
                headers.push(Header {
                    name: "authorization".into(),
                    value: "Basic (from -u)".into(),
                    origin: Origin::Synthetic(w.map.first().map_or(start, |m| m.0)),
                });
            }
            "--oauth2-bearer" => {
                // curl sends `Authorization: Bearer <token>`; the made-up `Bearer ` maps to the
                // token's first byte, so the value's range is the token's bytes in the command.
                if let Some((token, map)) = take(&mut i) {
                    let at = map.first().map_or(start, |m| m.0);
                    let prefix = "Bearer ";
                    let mut full = vec![(at, at); prefix.len()];
                    full.extend(map);
                    headers.push(Header {
                        name: "authorization".into(),
                        value: format!("{prefix}{token}"),
                        origin: Origin::Mapped(full),
                    });
                }
            }
            "-A" | "--user-agent" => {
                take(&mut i);
            }
            "--url" => {
                if let Some((v, map)) = take(&mut i) {
                    let span = map.first().map_or(start, |m| m.0)..map.last().map_or(start, |m| m.1);
                    url = Some((v, span));
                }
            }
            f if SKIP_WITH_VALUE.contains(&f) && inline.is_none() => i += 1,
            f if f.starts_with('-') => {}
            _ => {
                if url.is_none() {
                    let span = w.map.first().map_or(start, |m| m.0)..w.map.last().map_or(start, |m| m.1);
                    url = Some((w.text.clone(), span));
                }
            }
        }
        i += 1;
    }
    let has = |name: &str| headers.iter().any(|h| h.name.eq_ignore_ascii_case(name));
    if body.is_some() && !has("content-type") {
        // What curl sends when the command does not say.
        let value = if json_flag { "application/json" } else { "application/x-www-form-urlencoded" };
        headers.push(Header { name: "content-type".into(), value: value.into(), origin: Origin::Synthetic(data_at) });
    }
    let method = method.or_else(|| Some(if body.is_some() { "POST".into() } else { "GET".into() }));
    let (url, url_span) = url.map_or((None, start..curl_end), |(u, s)| (Some(u), s));
    let (body_text, body_origin) = body.map_or((None, Origin::Verbatim(start)), |(t, m)| (Some(t), Origin::Mapped(m)));
    Ok(Capture {
        format: Format::Curl,
        method,
        url,
        url_span,
        headers_known: true,
        headers_complete: true,
        headers_at: start,
        header_insert: Some(HeaderInsert { at: curl_end, style: InsertStyle::CurlFlag }),
        headers,
        body: body_text,
        body_origin,
        extra_secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_style_command() {
        let t = "curl 'https://api.anthropic.com/v1/messages' \\\n  -H 'x-api-key: sk-ant-k' \\\n  -H $'authorization: Bearer x\\n' \\\n  --data-raw '{\"model\":\"m\"}'";
        let c = parse(t, 0).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(c.url.as_deref(), Some("https://api.anthropic.com/v1/messages"));
        assert_eq!(c.headers[0].value, "sk-ant-k");
        let at = c.headers[0].origin.map(t, 0);
        assert_eq!(&t[at..at + 8], "sk-ant-k");
        assert_eq!(c.headers[1].value, "Bearer x\n");
        let nl = c.headers[1].origin.map(t, 8);
        assert_eq!(&t[nl..nl + 2], "\\n");
        assert_eq!(c.body.as_deref(), Some("{\"model\":\"m\"}"));
        assert_eq!(c.method.as_deref(), Some("POST"));
        // -d without a content-type: curl sends form encoding.
        assert_eq!(c.headers[2].value, "application/x-www-form-urlencoded");
    }

    #[test]
    fn double_quotes_and_inline_flags() {
        let t = "curl -X POST --url \"https://x/v1/messages\" --header=\"content-type: application/json\" -d\"{\\\"a\\\":1}\"";
        let c = parse(t, 0).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(c.headers[0].value, "application/json");
        assert_eq!(c.body.as_deref(), Some("{\"a\":1}"));
        assert!(parse("curl 'unterminated", 0).is_err());
    }

    #[test]
    fn user_and_oauth2_bearer_credentials_keep_their_bytes() {
        let t = "curl -u 'elastic:pw' --oauth2-bearer tok https://x/v1/messages";
        let c = parse(t, 0).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.url.as_deref(), Some("https://x/v1/messages"), "the token is not the URL");
        let ranges: Vec<&str> = c.extra_secrets.iter().filter_map(|r| t.get(r.clone())).collect();
        assert_eq!(ranges, ["elastic:pw"]);
        let bearer = c.headers.iter().find(|h| h.value.starts_with("Bearer ")).map(|h| (h.value.as_str(), &h.origin));
        let (value, origin) = bearer.unwrap_or_else(|| panic!("{:?}", c.headers));
        assert_eq!(value, "Bearer tok");
        assert_eq!(&t[origin.map_range(t, &(0..value.len()))], "tok");
        let inline = parse("curl --user=elastic:pw -uroot:x https://x", 0).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(inline.extra_secrets.len(), 2);
    }
}
