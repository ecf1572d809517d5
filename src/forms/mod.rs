//! Placeholder: the forms module is being written.
