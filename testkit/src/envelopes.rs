//! (filled in by the move that deletes the copies)
