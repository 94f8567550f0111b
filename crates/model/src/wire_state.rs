//! One macro for fiskaly's state enums, so that every state type parses and prints the same way.

/// Declares a state enum spelled on the wire as fiskaly spells it, plus an `Unknown(String)`
/// variant that keeps any value fiskaly may add later, so deserialising never fails on it.
///
/// Generates `KNOWN` (the documented states in order), `as_str`, `Display`, and the `String`
/// conversions serde goes through.
macro_rules! wire_state {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A state this version does not know, with fiskaly's spelling kept.
            Unknown(String),
        }

        impl $name {
            /// Every state fiskaly documents, in lifecycle order.
            pub const KNOWN: [$name; [$($wire),+].len()] = [$($name::$variant),+];

            /// fiskaly's spelling of the state.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(raw) => raw,
                }
            }
        }

        impl From<String> for $name {
            fn from(raw: String) -> Self {
                $name::KNOWN
                    .into_iter()
                    .find(|known| known.as_str() == raw)
                    .unwrap_or($name::Unknown(raw))
            }
        }

        impl From<$name> for String {
            fn from(state: $name) -> Self {
                match state {
                    $name::Unknown(raw) => raw,
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_state;
