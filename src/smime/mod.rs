//! Placeholder: the smime module is being written.
