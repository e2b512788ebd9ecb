//! The hand-off between a connection task and the executor: one [`Job`] per wake-up of the
//! connection, answered by one [`Step`].
//!
//! A job carries everything the executor needs from the connection (the decoded requests and
//! the bytes they point into, the read buffer's size) and the connection's reply buffer to fill;
//! the step gives the buffer back with the replies, plus everything the connection needs until
//! its next job (the decoding limits, its idle timeout, its blocking deadline). Nothing else
//! crosses, so the same [`execute`] serves a connection on the executor's own thread
//! ([`LocalLink`], a function call) and one on an I/O thread (`io_threads::RemoteLink`, a
//! message each way).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use bytes::Bytes;

use crate::executor::{BatchOutcome, Executor, ExecutorMut};
use crate::protocol::{Batch, DecodeLimits, Reply};
use crate::state::ClientId;
use crate::state::aof::AofWait;

/// What woke the connection, as the executor sees it.
#[derive(Debug)]
pub enum Wake {
    /// `read` bytes arrived; the job's `requests` are the complete requests decoded so far,
    /// whose arguments are ranges of `bytes` (the read buffer's consumed front).
    Read { read: usize, bytes: Bytes },
    /// The executor signalled output for the client (a served blocking command, pushes).
    Output,
    /// The client's blocking command reached its timeout.
    BlockTimeout,
    /// The connection gave its idle buffers back.
    BuffersIdle,
}

/// One request of a connection to the executor.
#[derive(Debug)]
pub struct Job {
    /// Why the connection asks.
    pub wake: Wake,
    /// The decoded requests of a [`Wake::Read`] (empty otherwise); handed back in the step.
    pub requests: Batch,
    /// The connection's reply buffer, empty; handed back holding the replies.
    pub out: Reply,
    /// Bytes left in the read buffer after the requests (a partial request).
    pub unparsed: usize,
    /// Size of the connection's read buffer allocation (CLIENT LIST `qbuf-free`).
    pub read_capacity: usize,
}

/// The executor's answer to a [`Job`].
#[derive(Debug)]
pub struct Step {
    /// What the connection does next.
    pub outcome: BatchOutcome,
    /// The reply buffer, holding the replies.
    pub out: Reply,
    /// The job's batch, cleared, for reuse.
    pub requests: Batch,
    /// Limits for decoding the next requests (AUTH may have changed them).
    pub limits: DecodeLimits,
    /// What the connection needs until its next job.
    pub settings: Settings,
    /// Bytes of requests the client sent while blocked, which the executor holds.
    pub deferred: usize,
    /// `None` when the client is not blocked; else its deadline (`Some(None)`: none).
    pub blocked: Option<Option<Instant>>,
    /// What the replies wait for before they are written: the AOF write (or fsync) of the
    /// commands before them.
    pub aof_wait: Option<AofWait>,
}

/// Configuration a connection reads between jobs.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// `timeout`: seconds an idle client is kept (0: forever).
    pub idle_timeout: u64,
    /// `client-query-buffer-limit`.
    pub query_buffer_limit: u64,
}

impl Settings {
    /// The settings `config` gives.
    pub fn from_config(config: &crate::config::Config) -> Self {
        Settings { idle_timeout: config.timeout, query_buffer_limit: config.client_query_buffer_limit }
    }
}

/// Runs `job` for client `id` on the executor (on the executor's thread, whatever thread the
/// connection runs on).
pub fn execute(executor: &mut ExecutorMut<'_>, id: ClientId, job: Job) -> Step {
    let Job { wake, mut requests, mut out, unparsed, read_capacity } = job;
    executor.note_query_buffer_allocation(id, read_capacity);
    let outcome = match wake {
        Wake::Read { read, bytes } => {
            executor.state_mut().stats.net_input_bytes += read as u64;
            let outcome = if requests.is_empty() {
                BatchOutcome::Continue
            } else {
                executor.run_batch(id, &bytes, unparsed, &requests, &mut out)
            };
            requests.clear();
            outcome
        }
        Wake::Output => executor.resume(id, &mut out),
        Wake::BlockTimeout => executor.time_out(id, &mut out),
        Wake::BuffersIdle => BatchOutcome::Continue,
    };
    executor.note_query_buffer(id, unparsed);
    let blocked = executor.block_deadline(id);
    let deferred = executor.deferred_bytes(id);
    if outcome != BatchOutcome::Continue {
        // Gone from CLIENT LIST and `connected_clients` before its last replies are written, so
        // that a client which read QUIT's OK finds itself gone, whichever thread its connection
        // runs on (the connection's own release later finds nothing left to do).
        executor.unregister_client(id);
    }
    Step {
        outcome,
        out,
        requests,
        limits: DecodeLimits {
            max_bulk_len: executor.state().config.proto_max_bulk_len,
            auth_required: executor.auth_required(id),
        },
        settings: Settings::from_config(&executor.state().config),
        deferred,
        blocked,
        aof_wait: executor.aof_wait(),
    }
}

/// How a connection task reaches the executor.
pub trait Link {
    /// Runs `job` and answers its step; `None` when the executor is gone (shutdown).
    fn run(&self, id: ClientId, job: Job) -> impl Future<Output = Option<Step>>;

    /// The client closed its end: logs it as Redis does (`peer_closed`), then forgets the client.
    fn release(&self, id: ClientId, peer_closed: bool);
}

/// A connection on the executor's own thread (`io-threads 1`): a job is a function call under a
/// borrow that never spans an `.await`.
#[derive(Clone)]
pub struct LocalLink(pub Rc<RefCell<Executor>>);

impl Link for LocalLink {
    async fn run(&self, id: ClientId, job: Job) -> Option<Step> {
        Some(execute(&mut self.0.borrow_mut().borrowed(), id, job))
    }

    fn release(&self, id: ClientId, peer_closed: bool) {
        let mut executor = self.0.borrow_mut();
        let mut executor = executor.borrowed();
        if peer_closed {
            super::log_client_closed(&executor, id);
        }
        executor.unregister_client(id);
    }
}
