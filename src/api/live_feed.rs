//! The proxy's live feed in the browser: an `EventSource` on `/api/events`. The browser reopens
//! a lost connection by itself (sending the last event's ID, so nothing is missed); a stream the
//! proxy refused or ended is opened anew a few seconds later.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

use super::{Following, LiveSignal};

/// Where the feed is.
const URL: &str = "/api/events";
/// How long to wait before opening a stream the proxy closed for good.
const REOPEN_AFTER_MS: i32 = 3_000;

/// One open `EventSource` and the handlers it calls.
struct Source {
    source: EventSource,
    _handlers: [Closure<dyn FnMut(web_sys::Event)>; 3],
}

/// The feed: the current source, replaced when the proxy closed one for good.
struct Feed {
    on_signal: Rc<dyn Fn(LiveSignal)>,
    current: RefCell<Option<Source>>,
    stopped: std::cell::Cell<bool>,
}

/// Opens the feed; every signal goes to `on_signal` until the answer is dropped.
pub fn follow(on_signal: Rc<dyn Fn(LiveSignal)>) -> Following {
    let feed = Rc::new(Feed {
        on_signal,
        current: RefCell::new(None),
        stopped: std::cell::Cell::new(false),
    });
    open(&feed);
    Following::new(move || {
        feed.stopped.set(true);
        if let Some(current) = feed.current.borrow_mut().take() {
            current.source.close();
        }
    })
}

fn open(feed: &Rc<Feed>) {
    if feed.stopped.get() {
        return;
    }
    let Ok(source) = EventSource::new(URL) else {
        (feed.on_signal)(LiveSignal::Lost);
        return;
    };
    let on_open = {
        let feed = feed.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| (feed.on_signal)(LiveSignal::Open))
    };
    let on_message = {
        let feed = feed.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let Some(text) = event
                .dyn_ref::<MessageEvent>()
                .and_then(|message| message.data().as_string())
            else {
                return;
            };
            if let Ok(change) = serde_json::from_str(&text) {
                (feed.on_signal)(LiveSignal::Change(change));
            }
        })
    };
    let on_error = {
        let feed = Rc::downgrade(feed);
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let Some(feed) = feed.upgrade() else { return };
            (feed.on_signal)(LiveSignal::Lost);
            let closed = feed
                .current
                .borrow()
                .as_ref()
                .is_some_and(|c| c.source.ready_state() == EventSource::CLOSED);
            if closed {
                reopen_later(&feed);
            }
        })
    };
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    *feed.current.borrow_mut() = Some(Source {
        source,
        _handlers: [on_open, on_message, on_error],
    });
}

/// Opens a new source after a pause (the proxy refused or ended the last one: restarted, or
/// the session ended, which the app then notices).
fn reopen_later(feed: &Rc<Feed>) {
    let feed = feed.clone();
    let reopen = Closure::once_into_js(move || open(&feed));
    let _ = web_sys::window().map(|window| {
        window.set_timeout_with_callback_and_timeout_and_arguments_0(
            reopen.unchecked_ref(),
            REOPEN_AFTER_MS,
        )
    });
}
