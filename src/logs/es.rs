//! The Elasticsearch/OpenSearch backend: the Summary computed by the cluster (issue 4).
