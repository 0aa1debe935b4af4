
use builtin;
use str;

set edit:completion:arg-completer[faultline] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'faultline'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'faultline'= {
            cand --config 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)'
            cand --color 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)'
            cand -q 'Print only the essentials (no progress, no summary lines on stderr)'
            cand --quiet 'Print only the essentials (no progress, no summary lines on stderr)'
            cand -v 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand --verbose 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand diagnose 'Walk the layered diagnosis over request logs and name the root causes'
            cand lint 'Check captured requests for the mistakes behind 400s and 401s'
            cand explain 'Print the knowledge-base entry for a lint code, a root cause or a status code'
            cand rules 'List every lint rule and root cause, one line each'
            cand completions 'Print a shell completion script (the same scripts are checked in under completions/)'
            cand probe 'Check live, direct and through the gateway: is it the key, the gateway, or the provider?'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'faultline;diagnose'= {
            cand --es 'Elasticsearch/OpenSearch URL (also FAULTLINE_ES_URL or [es] url in the config)'
            cand --index 'Index pattern to search'
            cand --es-ca-cert 'PEM file with the CA certificate that signed the cluster''s certificate'
            cand --es-timeout 'Time budget for each request to the cluster (e.g. 30s)'
            cand --since 'Only records newer than this (relative: 15m, 1h, 7d)'
            cand --from 'Start of the window (RFC 3339, or relative like 2h)'
            cand --to 'End of the window (RFC 3339, or relative like 30m)'
            cand --schema 'How the logs are written: a preset (built-in or from faultline.toml), auto (default), or list to show them'
            cand --field 'Override one field''s path (and unit), e.g. --field status=http.status, --field latency=took:s (repeatable)'
            cand --format 'Output format (human is the default, also when piped; scripts pass json)'
            cand --watch 'Re-run the diagnosis every DUR (with its unit: 30s, 5m, 1h) over a sliding window and show what changed; Ctrl-C stops (exit 130)'
            cand --config 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)'
            cand --color 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)'
            cand --insecure 'Accept any TLS certificate from the cluster (never the default)'
            cand --explain-queries 'Print the query bodies sent to the cluster (credentials redacted), ready for Kibana Dev Tools'
            cand --trace 'Human report: the whole report, with the per-layer trace and every evidence line, fix and sample (the default fits one screen; same as -v). Markdown and JSON always carry it'
            cand --interactive 'Walk the layers interactively (default when stdin and stdout are terminals and the source is not stdin)'
            cand --no-interactive 'Never prompt'
            cand -q 'Print only the essentials (no progress, no summary lines on stderr)'
            cand --quiet 'Print only the essentials (no progress, no summary lines on stderr)'
            cand -v 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand --verbose 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'faultline;lint'= {
            cand --format 'Output format'
            cand --provider 'Which API the requests target (auto: from the URL and headers)'
            cand --select 'Only these rule codes or prefixes (comma separated: FL0,FL201)'
            cand --ignore 'Skip these rule codes or prefixes (comma separated)'
            cand --fail-level 'Lowest severity that makes the exit code 1'
            cand --as-of 'Evaluate model deprecation and retirement at this date (YYYY-MM-DD; default today)'
            cand --stdin-filename 'File name to report for input read from stdin'
            cand --config 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)'
            cand --color 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)'
            cand --fix 'Apply safe fixes in place'
            cand --unsafe-fixes 'Also apply fixes that may change behaviour (alias -> pinned model ID)'
            cand --diff 'Show the fixes as a unified diff without writing'
            cand -q 'Print only the essentials (no progress, no summary lines on stderr)'
            cand --quiet 'Print only the essentials (no progress, no summary lines on stderr)'
            cand -v 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand --verbose 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'faultline;explain'= {
            cand --format 'Output format'
            cand --config 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)'
            cand --color 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)'
            cand -q 'Print only the essentials (no progress, no summary lines on stderr)'
            cand --quiet 'Print only the essentials (no progress, no summary lines on stderr)'
            cand -v 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand --verbose 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'faultline;rules'= {
            cand --format 'Output format'
            cand --config 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)'
            cand --color 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)'
            cand -q 'Print only the essentials (no progress, no summary lines on stderr)'
            cand --quiet 'Print only the essentials (no progress, no summary lines on stderr)'
            cand -v 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand --verbose 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'faultline;completions'= {
            cand --config 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)'
            cand --color 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)'
            cand -q 'Print only the essentials (no progress, no summary lines on stderr)'
            cand --quiet 'Print only the essentials (no progress, no summary lines on stderr)'
            cand -v 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand --verbose 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'faultline;probe'= {
            cand --direct 'The provider''s base URL, called directly (default https://api.anthropic.com)'
            cand --gateway 'The gateway''s base URL (default: ANTHROPIC_BASE_URL when it is set and is not the provider)'
            cand --model 'The model to check (default: rules/api.toml `probe_model`)'
            cand --timeout 'Time budget of each step (e.g. 5s, 1500ms; a bare number is seconds; default 10s)'
            cand --key-env 'Read the key from this environment variable (sent as x-api-key) instead of ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN'
            cand --format 'Output format'
            cand --config 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)'
            cand --color 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)'
            cand --send 'Also send one POST /v1/messages with max_tokens 1 (bills one output token)'
            cand -q 'Print only the essentials (no progress, no summary lines on stderr)'
            cand --quiet 'Print only the essentials (no progress, no summary lines on stderr)'
            cand -v 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand --verbose 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'faultline;help'= {
            cand diagnose 'Walk the layered diagnosis over request logs and name the root causes'
            cand lint 'Check captured requests for the mistakes behind 400s and 401s'
            cand explain 'Print the knowledge-base entry for a lint code, a root cause or a status code'
            cand rules 'List every lint rule and root cause, one line each'
            cand completions 'Print a shell completion script (the same scripts are checked in under completions/)'
            cand probe 'Check live, direct and through the gateway: is it the key, the gateway, or the provider?'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'faultline;help;diagnose'= {
        }
        &'faultline;help;lint'= {
        }
        &'faultline;help;explain'= {
        }
        &'faultline;help;rules'= {
        }
        &'faultline;help;completions'= {
        }
        &'faultline;help;probe'= {
        }
        &'faultline;help;help'= {
        }
    ]
    $completions[$command]
}
