//! Renderers of lint findings: human, concise, json, sarif, github (issue 6).
