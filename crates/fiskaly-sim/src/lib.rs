//! An offline simulator of fiskaly's SIGN DE API v2 (filled by the simulator issue).
