//! Counts the heap allocations of parsing, modelling and verifying the doubly signed
//! Salesforce-shaped response, phase by phase (BENCHMARKS.md):
//! `cargo run --release --example alloc_count`. The second round is the steady state: the
//! first fills the thread's table of the names and namespace URIs it has met.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use samlscope::dsig::{load_certificates, verify_document};
use samlscope::saml::read_message;
use samlscope::xml::{parse, XmlLimits};

const RESPONSE: &[u8] = include_bytes!("../corpus/signed/salesforce-response.xml");
const CERT: &[u8] = include_bytes!("../corpus/signed/keys/idp.pem");

/// The phase being counted: 0 is none.
static PHASE: AtomicUsize = AtomicUsize::new(0);
static COUNTS: [AtomicUsize; 4] =
    [AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0)];

/// The system allocator, counting allocations and reallocations per phase.
struct Counting;

// SAFETY: every call is passed on unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        COUNTS[PHASE.load(Relaxed)].fetch_add(1, Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        COUNTS[PHASE.load(Relaxed)].fetch_add(1, Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() -> Result<(), String> {
    let certs = load_certificates(CERT)?;
    for round in 1..=2 {
        COUNTS.iter().for_each(|c| c.store(0, Relaxed));
        PHASE.store(1, Relaxed);
        let doc = parse(RESPONSE, XmlLimits::default()).map_err(|e| e.to_string())?;
        PHASE.store(2, Relaxed);
        let msg = read_message(&doc);
        PHASE.store(3, Relaxed);
        std::hint::black_box(verify_document(&doc, &msg.signature_elements, &certs));
        PHASE.store(0, Relaxed);
        let [_, parse, model, verify] = COUNTS.each_ref().map(|c| c.load(Relaxed));
        println!(
            "round {round}: {} nodes; allocations: parse {parse}, model {model}, verify {verify}",
            doc.len()
        );
    }
    Ok(())
}
