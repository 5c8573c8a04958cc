//! Chain rules: loading, hits.
