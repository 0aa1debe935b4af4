# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_faultline_global_optspecs
    string join \n config= color= q/quiet v/verbose h/help V/version
end

function __fish_faultline_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_faultline_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_faultline_using_subcommand
    set -l cmd (__fish_faultline_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c faultline -n "__fish_faultline_needs_command" -l config -d 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)' -r -F
complete -c faultline -n "__fish_faultline_needs_command" -l color -d 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c faultline -n "__fish_faultline_needs_command" -s q -l quiet -d 'Print only the essentials (no progress, no summary lines on stderr)'
complete -c faultline -n "__fish_faultline_needs_command" -s v -l verbose -d 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
complete -c faultline -n "__fish_faultline_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c faultline -n "__fish_faultline_needs_command" -s V -l version -d 'Print version'
complete -c faultline -n "__fish_faultline_needs_command" -f -a "diagnose" -d 'Walk the layered diagnosis over request logs and name the root causes'
complete -c faultline -n "__fish_faultline_needs_command" -f -a "lint" -d 'Check captured requests for the mistakes behind 400s and 401s'
complete -c faultline -n "__fish_faultline_needs_command" -f -a "explain" -d 'Print the knowledge-base entry for a lint code, a root cause or a status code'
complete -c faultline -n "__fish_faultline_needs_command" -f -a "rules" -d 'List every lint rule and root cause, one line each'
complete -c faultline -n "__fish_faultline_needs_command" -f -a "completions" -d 'Print a shell completion script (the same scripts are checked in under completions/)'
complete -c faultline -n "__fish_faultline_needs_command" -f -a "probe" -d 'Check live, direct and through the gateway: is it the key, the gateway, or the provider?'
complete -c faultline -n "__fish_faultline_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l es -d 'Elasticsearch/OpenSearch URL (also FAULTLINE_ES_URL or [es] url in the config)' -r
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l index -d 'Index pattern to search' -r
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l es-ca-cert -d 'PEM file with the CA certificate that signed the cluster\'s certificate' -r -F
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l es-timeout -d 'Time budget for each request to the cluster (e.g. 30s)' -r
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l since -d 'Only records newer than this (relative: 15m, 1h, 7d)' -r
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l from -d 'Start of the window (RFC 3339, or relative like 2h)' -r
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l to -d 'End of the window (RFC 3339, or relative like 30m)' -r
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l schema -d 'How the logs are written: a preset (built-in or from faultline.toml), auto (default), or list to show them' -r -f -a "auto\t'pick the preset from the records (files) or _field_caps (clusters)'
list\t'show every preset and exit'
faultline\t'faultline\'s own field names (flat; latency_ms in milliseconds)'
ecs\t'Elastic Common Schema names (http.*, event.duration in nanoseconds, labels.* for the rest)'
litellm\t'LiteLLM proxy StandardLoggingPayload, as its generic_api, s3, gcs_bucket and sqs loggers write it'
otel\t'OpenTelemetry GenAI spans (official instrumentation, LiteLLM\'s OTel callback) as the Elasticsearch exporter indexes them, otel and ecs mapping modes'
envoy\t'Envoy and Envoy Gateway JSON access log (Envoy Gateway\'s default format; "-" when unset, duration in ms)'
envoy-ai-gateway\t'Envoy AI Gateway access log: Envoy\'s fields plus the model, backend and token counts (genai_* or gen_ai.* keys)'
bedrock\t'AWS Bedrock model invocation logs: the raw record (CloudWatch Logs, S3) and Elastic\'s aws_bedrock integration'
kong\t'Kong Gateway http-log / file-log with the AI Proxy fields (ai.proxy.*)'
cloudflare\t'Cloudflare AI Gateway logs: the Logs API (snake_case) and Logpush ai_gateway_events (PascalCase)'"
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l field -d 'Override one field\'s path (and unit), e.g. --field status=http.status, --field latency=took:s (repeatable)' -r
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l format -d 'Output format (human is the default, also when piped; scripts pass json)' -r -f -a "human\t''
json\t''
markdown\t''"
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l watch -d 'Re-run the diagnosis every DUR (with its unit: 30s, 5m, 1h) over a sliding window and show what changed; Ctrl-C stops (exit 130)' -r
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l config -d 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)' -r -F
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l color -d 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l insecure -d 'Accept any TLS certificate from the cluster (never the default)'
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l explain-queries -d 'Print the query bodies sent to the cluster (credentials redacted), ready for Kibana Dev Tools'
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l trace -d 'Human report: the whole report, with the per-layer trace and every evidence line, fix and sample (the default fits one screen; same as -v). Markdown and JSON always carry it'
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l interactive -d 'Walk the layers interactively (default when stdin and stdout are terminals and the source is not stdin)'
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -l no-interactive -d 'Never prompt'
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -s q -l quiet -d 'Print only the essentials (no progress, no summary lines on stderr)'
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -s v -l verbose -d 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c faultline -n "__fish_faultline_using_subcommand diagnose" -s V -l version -d 'Print version'
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l format -d 'Output format' -r -f -a "human\t''
concise\t''
json\t''
sarif\t''
github\t''"
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l provider -d 'Which API the requests target (auto: from the URL and headers)' -r -f -a "anthropic\t''
bedrock\t''
vertex\t''
openai\t''
auto\t''"
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l select -d 'Only these rule codes or prefixes (comma separated: FL0,FL201)' -r
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l ignore -d 'Skip these rule codes or prefixes (comma separated)' -r
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l fail-level -d 'Lowest severity that makes the exit code 1' -r -f -a "info\t''
warning\t''
error\t''"
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l as-of -d 'Evaluate model deprecation and retirement at this date (YYYY-MM-DD; default today)' -r
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l stdin-filename -d 'File name to report for input read from stdin' -r
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l config -d 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)' -r -F
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l color -d 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l fix -d 'Apply safe fixes in place'
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l unsafe-fixes -d 'Also apply fixes that may change behaviour (alias -> pinned model ID)'
complete -c faultline -n "__fish_faultline_using_subcommand lint" -l diff -d 'Show the fixes as a unified diff without writing'
complete -c faultline -n "__fish_faultline_using_subcommand lint" -s q -l quiet -d 'Print only the essentials (no progress, no summary lines on stderr)'
complete -c faultline -n "__fish_faultline_using_subcommand lint" -s v -l verbose -d 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
complete -c faultline -n "__fish_faultline_using_subcommand lint" -s h -l help -d 'Print help'
complete -c faultline -n "__fish_faultline_using_subcommand lint" -s V -l version -d 'Print version'
complete -c faultline -n "__fish_faultline_using_subcommand explain" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c faultline -n "__fish_faultline_using_subcommand explain" -l config -d 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)' -r -F
complete -c faultline -n "__fish_faultline_using_subcommand explain" -l color -d 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c faultline -n "__fish_faultline_using_subcommand explain" -s q -l quiet -d 'Print only the essentials (no progress, no summary lines on stderr)'
complete -c faultline -n "__fish_faultline_using_subcommand explain" -s v -l verbose -d 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
complete -c faultline -n "__fish_faultline_using_subcommand explain" -s h -l help -d 'Print help'
complete -c faultline -n "__fish_faultline_using_subcommand explain" -s V -l version -d 'Print version'
complete -c faultline -n "__fish_faultline_using_subcommand rules" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c faultline -n "__fish_faultline_using_subcommand rules" -l config -d 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)' -r -F
complete -c faultline -n "__fish_faultline_using_subcommand rules" -l color -d 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c faultline -n "__fish_faultline_using_subcommand rules" -s q -l quiet -d 'Print only the essentials (no progress, no summary lines on stderr)'
complete -c faultline -n "__fish_faultline_using_subcommand rules" -s v -l verbose -d 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
complete -c faultline -n "__fish_faultline_using_subcommand rules" -s h -l help -d 'Print help'
complete -c faultline -n "__fish_faultline_using_subcommand rules" -s V -l version -d 'Print version'
complete -c faultline -n "__fish_faultline_using_subcommand completions" -l config -d 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)' -r -F
complete -c faultline -n "__fish_faultline_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c faultline -n "__fish_faultline_using_subcommand completions" -s q -l quiet -d 'Print only the essentials (no progress, no summary lines on stderr)'
complete -c faultline -n "__fish_faultline_using_subcommand completions" -s v -l verbose -d 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
complete -c faultline -n "__fish_faultline_using_subcommand completions" -s h -l help -d 'Print help'
complete -c faultline -n "__fish_faultline_using_subcommand completions" -s V -l version -d 'Print version'
complete -c faultline -n "__fish_faultline_using_subcommand probe" -l direct -d 'The provider\'s base URL, called directly (default https://api.anthropic.com)' -r
complete -c faultline -n "__fish_faultline_using_subcommand probe" -l gateway -d 'The gateway\'s base URL (default: ANTHROPIC_BASE_URL when it is set and is not the provider)' -r
complete -c faultline -n "__fish_faultline_using_subcommand probe" -l model -d 'The model to check (default: rules/api.toml `probe_model`)' -r
complete -c faultline -n "__fish_faultline_using_subcommand probe" -l timeout -d 'Time budget of each step (e.g. 5s, 1500ms; a bare number is seconds; default 10s)' -r
complete -c faultline -n "__fish_faultline_using_subcommand probe" -l key-env -d 'Read the key from this environment variable (sent as x-api-key) instead of ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN' -r
complete -c faultline -n "__fish_faultline_using_subcommand probe" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c faultline -n "__fish_faultline_using_subcommand probe" -l config -d 'Configuration file (default: faultline.toml in the current directory or its ancestors, then the user config dir)' -r -F
complete -c faultline -n "__fish_faultline_using_subcommand probe" -l color -d 'When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c faultline -n "__fish_faultline_using_subcommand probe" -l send -d 'Also send one POST /v1/messages with max_tokens 1 (bills one output token)'
complete -c faultline -n "__fish_faultline_using_subcommand probe" -s q -l quiet -d 'Print only the essentials (no progress, no summary lines on stderr)'
complete -c faultline -n "__fish_faultline_using_subcommand probe" -s v -l verbose -d 'More detail: diagnose prints the whole report with the layer trace (as --trace); lint adds a line on stderr with the time taken and the settings used; probe, rules, explain and completions print nothing more'
complete -c faultline -n "__fish_faultline_using_subcommand probe" -s h -l help -d 'Print help'
complete -c faultline -n "__fish_faultline_using_subcommand probe" -s V -l version -d 'Print version'
complete -c faultline -n "__fish_faultline_using_subcommand help; and not __fish_seen_subcommand_from diagnose lint explain rules completions probe help" -f -a "diagnose" -d 'Walk the layered diagnosis over request logs and name the root causes'
complete -c faultline -n "__fish_faultline_using_subcommand help; and not __fish_seen_subcommand_from diagnose lint explain rules completions probe help" -f -a "lint" -d 'Check captured requests for the mistakes behind 400s and 401s'
complete -c faultline -n "__fish_faultline_using_subcommand help; and not __fish_seen_subcommand_from diagnose lint explain rules completions probe help" -f -a "explain" -d 'Print the knowledge-base entry for a lint code, a root cause or a status code'
complete -c faultline -n "__fish_faultline_using_subcommand help; and not __fish_seen_subcommand_from diagnose lint explain rules completions probe help" -f -a "rules" -d 'List every lint rule and root cause, one line each'
complete -c faultline -n "__fish_faultline_using_subcommand help; and not __fish_seen_subcommand_from diagnose lint explain rules completions probe help" -f -a "completions" -d 'Print a shell completion script (the same scripts are checked in under completions/)'
complete -c faultline -n "__fish_faultline_using_subcommand help; and not __fish_seen_subcommand_from diagnose lint explain rules completions probe help" -f -a "probe" -d 'Check live, direct and through the gateway: is it the key, the gateway, or the provider?'
complete -c faultline -n "__fish_faultline_using_subcommand help; and not __fish_seen_subcommand_from diagnose lint explain rules completions probe help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
