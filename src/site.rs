//! Registrable domains (sites).
