//! Which server answers, from `GET /` (es.md §1): detect, never refuse. The order of evidence is
//! `version.distribution` ("opensearch"), then `version.build_flavor` ("serverless"), then the
//! `X-Elastic-Product` header, then the tagline. A 7.10.x number with no distribution may be
//! OpenSearch in compatibility mode (`compatibility.override_main_response_version`).

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Elasticsearch,
    OpenSearch,
    /// The answer named neither (or `GET /` was forbidden): we go on and speak the common dialect.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    pub product: Product,
    /// `version.number` as reported (serverless reports a fixed number: do not trust it there).
    pub version: Option<String>,
    pub major: Option<u32>,
    pub minor: Option<u32>,
    /// Elastic Cloud Serverless (`build_flavor: serverless`).
    pub serverless: bool,
    /// 7.10.x without `distribution`: OpenSearch may be answering in compatibility mode.
    pub maybe_opensearch_compat: bool,
    /// The `X-Elastic-Product` header. OpenSearch does not send it (osmem-server does, so the
    /// body's `distribution` must outrank it).
    pub elastic_product_header: Option<String>,
    pub cluster_name: Option<String>,
}

impl ServerInfo {
    pub fn unknown() -> ServerInfo {
        ServerInfo {
            product: Product::Unknown,
            version: None,
            major: None,
            minor: None,
            serverless: false,
            maybe_opensearch_compat: false,
            elastic_product_header: None,
            cluster_name: None,
        }
    }

    /// Classifies a `GET /` body plus the `X-Elastic-Product` header.
    pub fn from_root(body: &Value, elastic_product: Option<&str>) -> ServerInfo {
        let version = body.get("version");
        let text =
            |v: Option<&Value>, key: &str| v.and_then(|v| v.get(key)).and_then(Value::as_str).map(str::to_string);
        let number = text(version, "number");
        let distribution = text(version, "distribution");
        let flavor = text(version, "build_flavor");
        let tagline = body.get("tagline").and_then(Value::as_str).unwrap_or_default();
        let mut numbers = number.as_deref().unwrap_or_default().split(['.', '-']).map(|p| p.parse::<u32>().ok());
        let major = numbers.next().flatten();
        let minor = numbers.next().flatten();
        let product = if distribution.as_deref().is_some_and(|d| d.eq_ignore_ascii_case("opensearch")) {
            Product::OpenSearch
        } else if flavor.is_some()
            || elastic_product.is_some_and(|p| p == "Elasticsearch")
            || tagline.contains("You Know, for Search")
        {
            Product::Elasticsearch
        } else if tagline.contains("OpenSearch") {
            Product::OpenSearch
        } else {
            Product::Unknown
        };
        let serverless = flavor.as_deref() == Some("serverless");
        let maybe_opensearch_compat = distribution.is_none()
            && product != Product::OpenSearch
            && number.as_deref().is_some_and(|n| n.starts_with("7.10."));
        ServerInfo {
            product,
            version: number,
            major,
            minor,
            serverless,
            maybe_opensearch_compat,
            elastic_product_header: elastic_product.map(str::to_string),
            cluster_name: text(Some(body), "cluster_name"),
        }
    }

    /// One line for the report and `-v`: `OpenSearch 2.11.0`, `Elasticsearch serverless`.
    pub fn describe(&self) -> String {
        let name = match self.product {
            Product::Elasticsearch => "Elasticsearch",
            Product::OpenSearch => "OpenSearch",
            Product::Unknown => "an unidentified server",
        };
        let mut out = if self.serverless {
            format!("{name} serverless")
        } else {
            match &self.version {
                Some(v) => format!("{name} {v}"),
                None => name.to_string(),
            }
        };
        if self.maybe_opensearch_compat {
            out.push_str(" (or OpenSearch in 7.10.2 compatibility mode)");
        }
        out
    }

    /// Warnings that follow from the version: features this client relies on.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.product == Product::Elasticsearch && !self.serverless {
            if let (Some(major), Some(minor)) = (self.major, self.minor) {
                // fixed_interval arrived in 7.2; hits.total became an object in 7.0.
                if major < 7 || (major == 7 && minor < 2) {
                    out.push(format!(
                        "Elasticsearch {} predates 7.2: date_histogram fixed_interval is not supported there and the \
                         per-minute series may fail",
                        self.version.as_deref().unwrap_or("?")
                    ));
                } else if major == 7 && minor < 3 {
                    // minimum_interval arrived in 7.3.
                    out.push(format!(
                        "Elasticsearch {} predates 7.3: a window without a start (no --since, no --from) asks \
                         auto_date_histogram for minute buckets at least, which it cannot do; give the window a start",
                        self.version.as_deref().unwrap_or("?")
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixture(name: &str) -> Value {
        let path = format!("{}/tests/fixtures/es/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    #[test]
    fn elasticsearch_8_and_9_by_build_flavor_and_header() {
        let es8 = ServerInfo::from_root(&fixture("root_es8.json"), Some("Elasticsearch"));
        assert_eq!((es8.product, es8.major, es8.serverless), (Product::Elasticsearch, Some(8), false));
        assert_eq!(es8.describe(), "Elasticsearch 8.15.3");
        let es9 = ServerInfo::from_root(&fixture("root_es9.json"), Some("Elasticsearch"));
        assert_eq!((es9.product, es9.major), (Product::Elasticsearch, Some(9)));
    }

    #[test]
    fn serverless_is_told_by_flavor_not_number() {
        let s = ServerInfo::from_root(&fixture("root_serverless.json"), Some("Elasticsearch"));
        assert!(s.serverless);
        assert_eq!(s.describe(), "Elasticsearch serverless");
    }

    #[test]
    fn opensearch_distribution_outranks_the_header() {
        let os = ServerInfo::from_root(&fixture("root_opensearch2.json"), Some("Elasticsearch"));
        assert_eq!((os.product, os.major), (Product::OpenSearch, Some(2)));
        assert!(!os.maybe_opensearch_compat);
    }

    #[test]
    fn seven_ten_two_without_distribution_is_flagged() {
        let body = json!({"version": {"number": "7.10.2", "build_type": "tar"}, "tagline": "You Know, for Search"});
        let s = ServerInfo::from_root(&body, None);
        assert!(s.maybe_opensearch_compat);
        assert!(s.describe().contains("compatibility mode"), "{}", s.describe());
    }

    #[test]
    fn old_elasticsearch_is_warned_about() {
        let body = json!({"version": {"number": "6.8.23", "build_flavor": "default"}});
        assert_eq!(ServerInfo::from_root(&body, None).warnings().len(), 1);
        let body = json!({"version": {"number": "7.17.0", "build_flavor": "default"}});
        assert!(ServerInfo::from_root(&body, None).warnings().is_empty());
        // 7.2 has fixed_interval but not auto_date_histogram's minimum_interval (7.3).
        let body = json!({"version": {"number": "7.2.1", "build_flavor": "default"}});
        let warned = ServerInfo::from_root(&body, None).warnings();
        assert!(warned.len() == 1 && warned[0].contains("without a start"), "{warned:?}");
        let body = json!({"version": {"number": "7.3.0", "build_flavor": "default"}});
        assert!(ServerInfo::from_root(&body, None).warnings().is_empty());
    }

    #[test]
    fn garbage_is_unknown_not_a_panic() {
        let s = ServerInfo::from_root(&json!([1, 2]), None);
        assert_eq!(s.product, Product::Unknown);
        assert_eq!(ServerInfo::from_root(&json!({"version": {"number": 7}}), None).major, None);
    }
}
