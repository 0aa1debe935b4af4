
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'faultline' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'faultline'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'faultline' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Walk the layered diagnosis over request logs and name the root causes')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check captured requests for the mistakes behind 400s and 401s')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the knowledge-base entry for a lint code, a root cause or a status code')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List every lint rule and root cause, one line each')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (the same scripts are checked in under completions/)')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Check live, direct and through the gateway: is it the key, the gateway, or the provider?')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'faultline;diagnose' {
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch/OpenSearch URL (also FAULTLINE_ES_URL or [es] url in the config)')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Index pattern to search')
            [CompletionResult]::new('--es-ca-cert', '--es-ca-cert', [CompletionResultType]::ParameterName, 'PEM file with the CA certificate that signed the cluster''s certificate')
            [CompletionResult]::new('--es-timeout', '--es-timeout', [CompletionResultType]::ParameterName, 'Time budget for each request to the cluster (e.g. 30s)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records newer than this (relative: 15m, 1h, 7d)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Start of the window (RFC 3339, or relative like 2h)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'End of the window (RFC 3339, or relative like 30m)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'How the logs are written: a preset (built-in or from faultline.toml), auto (default), or list to show them')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Override one field''s path (and unit), e.g. --field status=http.status, --field latency=took:s (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (human is the default, also when piped; scripts pass json)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Re-run the diagnosis every DUR (with its unit: 30s, 5m, 1h) over a sliding window and show what changed; Ctrl-C stops (exit 130)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Accept any TLS certificate from the cluster (never the default)')
            [CompletionResult]::new('--explain-queries', '--explain-queries', [CompletionResultType]::ParameterName, 'Print the query bodies sent to the cluster (credentials redacted), ready for Kibana Dev Tools')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Human report: the whole report, with the per-layer trace and every evidence line, fix and sample (the default fits one screen; same as -v). Markdown and JSON always carry it')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Walk the layers interactively (default when stdin and stdout are terminals and the source is not stdin)')
            [CompletionResult]::new('--no-interactive', '--no-interactive', [CompletionResultType]::ParameterName, 'Never prompt')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'faultline;lint' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Which API the requests target (auto: from the URL and headers)')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Only these rule codes or prefixes (comma separated: FL0,FL201)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Skip these rule codes or prefixes (comma separated)')
            [CompletionResult]::new('--fail-level', '--fail-level', [CompletionResultType]::ParameterName, 'Lowest severity that makes the exit code 1')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Evaluate model deprecation and retirement at this date (YYYY-MM-DD; default today)')
            [CompletionResult]::new('--stdin-filename', '--stdin-filename', [CompletionResultType]::ParameterName, 'File name to report for input read from stdin')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Apply safe fixes in place')
            [CompletionResult]::new('--unsafe-fixes', '--unsafe-fixes', [CompletionResultType]::ParameterName, 'Also apply fixes that may change behaviour (alias -> pinned model ID)')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Show the fixes as a unified diff without writing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'faultline;explain' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'faultline;rules' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'faultline;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'faultline;probe' {
            [CompletionResult]::new('--direct', '--direct', [CompletionResultType]::ParameterName, 'The provider''s base URL, called directly (default https://api.anthropic.com)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'The gateway''s base URL (default: ANTHROPIC_BASE_URL when it is set and is not the provider)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model to check (default: rules/api.toml `probe_model`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time budget of each step (e.g. 5s, 1500ms; a bare number is seconds; default 10s)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Read the key from this environment variable (sent as x-api-key) instead of ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)')
            [CompletionResult]::new('--send', '--send', [CompletionResultType]::ParameterName, 'Also send one POST /v1/messages with max_tokens 1 (bills one output token)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the essentials (no progress, no summary lines on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'faultline;help' {
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Walk the layered diagnosis over request logs and name the root causes')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check captured requests for the mistakes behind 400s and 401s')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the knowledge-base entry for a lint code, a root cause or a status code')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List every lint rule and root cause, one line each')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (the same scripts are checked in under completions/)')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Check live, direct and through the gateway: is it the key, the gateway, or the provider?')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'faultline;help;diagnose' {
            break
        }
        'faultline;help;lint' {
            break
        }
        'faultline;help;explain' {
            break
        }
        'faultline;help;rules' {
            break
        }
        'faultline;help;completions' {
            break
        }
        'faultline;help;probe' {
            break
        }
        'faultline;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
