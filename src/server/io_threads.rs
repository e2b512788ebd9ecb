//! `io-threads N` above 1: connection tasks run on N-1 I/O threads, each a current-thread
//! runtime of its own, while the executor's thread keeps every piece of server state.
//!
//! A connection hands the executor one [`Job`] per wake-up through the executor's job queue and
//! awaits one [`Step`] back: reading, decoding, and writing replies stay on the I/O thread, the
//! commands run on the executor's. The executor drains every queued job in one turn and sends
//! each I/O thread the steps of that turn in one message, so a wake-up in either direction
//! serves every batch that arrived meanwhile, never one per command or per client. What a connection
//! publishes between jobs (the bytes it holds unwritten, written byte counts) goes through
//! atomics, so no message is needed for it.
//!
//! A script past `busy-reply-threshold` holds the executor's thread inside one job, and a load
//! holds it at startup or inside one job (DEBUG RELOAD, DEBUG LOADAOF). The holder's hook then
//! serves the queue the same way ([`IoThreads::serve_queued`], Redis's
//! `processEventsWhileBlocked`): the queued jobs run through the same dispatch, which answers
//! `-LOADING` to what is not `loading`, `-BUSY` to what is not `allow-busy`, and runs SCRIPT
//! KILL, FUNCTION KILL or SHUTDOWN, and the turn's steps go back at once. A connection has at
//! most one job in flight, so the holder's own client sends nothing until its job is answered:
//! its later requests wait, as Redis's `protectClient` makes them.

use std::cell::RefCell;
use std::rc::Rc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::connection::{self, Start};
use super::link::{self, Job, Link, Step};
use crate::executor::{Executor, ExecutorMut};
use crate::state::ClientId;

/// A message from a connection on an I/O thread to the executor.
enum Message {
    /// Run a job and answer its step (to I/O thread `thread`).
    Run { id: ClientId, job: Job, step: oneshot::Sender<Step>, thread: usize },
    /// The connection ended (`peer_closed`: the client closed it).
    Release { id: ClientId, peer_closed: bool },
}

/// Steps of one executor turn for one I/O thread, each with the channel its connection awaits.
type Steps = Vec<(oneshot::Sender<Step>, Step)>;

/// A connection's way to the executor from I/O thread `thread`.
#[derive(Clone)]
pub struct RemoteLink {
    jobs: mpsc::UnboundedSender<Message>,
    thread: usize,
}

impl Link for RemoteLink {
    async fn run(&self, id: ClientId, job: Job) -> Option<Step> {
        let (step, answer) = oneshot::channel();
        self.jobs.send(Message::Run { id, job, step, thread: self.thread }).ok()?;
        answer.await.ok()
    }

    fn release(&self, id: ClientId, peer_closed: bool) {
        // After shutdown the executor no longer listens, and there is nothing left to forget.
        let _ = self.jobs.send(Message::Release { id, peer_closed });
    }
}

/// An accepted socket, detached from the runtime that accepted it.
pub enum Socket {
    /// A TCP connection.
    Tcp(std::net::TcpStream),
    /// A unix socket connection.
    Unix(std::os::unix::net::UnixStream),
}

impl std::os::fd::AsRawFd for Socket {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        match self {
            Socket::Tcp(s) => s.as_raw_fd(),
            Socket::Unix(s) => s.as_raw_fd(),
        }
    }
}

/// A connection for an I/O thread to serve.
struct NewConnection {
    socket: Socket,
    start: Start,
}

/// The I/O threads, and the queue their connections send jobs to.
pub struct IoThreads {
    /// Each thread's queue of new connections and its handle; emptied by [`IoThreads::stop`].
    threads: RefCell<Vec<(mpsc::UnboundedSender<NewConnection>, JoinHandle<()>)>>,
    link: RemoteLink,
    next: std::cell::Cell<usize>,
    jobs: Rc<Jobs>,
}

/// The executor's side of the hand-off: the queue the connections send to, and the steps of the
/// current turn for each I/O thread until they are sent. Each is borrowed only for a moment
/// (never while a job runs), since the hook of a busy script or a load serves the queue from
/// inside a job.
struct Jobs {
    queue: RefCell<mpsc::UnboundedReceiver<Message>>,
    turn: RefCell<Vec<Steps>>,
    step_queues: Vec<mpsc::UnboundedSender<Steps>>,
}

impl Jobs {
    /// Runs `first` and every message queued after it, then sends each I/O thread the steps of
    /// this turn in one message.
    fn serve(&self, executor: &mut ExecutorMut<'_>, first: Option<Message>) {
        let mut next = first.or_else(|| self.next_queued());
        while let Some(message) = next {
            match message {
                Message::Run { id, job, step, thread } => {
                    let answer = link::execute(executor, id, job);
                    if let Some(steps) = self.turn.borrow_mut().get_mut(thread) {
                        steps.push((step, answer));
                    }
                }
                Message::Release { id, peer_closed } => {
                    if peer_closed {
                        super::log_client_closed(executor, id);
                    }
                    executor.unregister_client(id);
                }
            }
            next = self.next_queued();
        }
        for (steps, queue) in self.turn.borrow_mut().iter_mut().zip(&self.step_queues) {
            if !steps.is_empty() {
                // A thread that is gone has no connection left to answer.
                let _ = queue.send(std::mem::take(steps));
            }
        }
    }

    /// The next message already queued.
    fn next_queued(&self) -> Option<Message> {
        self.queue.borrow_mut().try_recv().ok()
    }
}

impl IoThreads {
    /// Starts `count` I/O threads, and the executor-side task that runs their jobs (on the
    /// current `LocalSet`, the executor's thread).
    pub fn start(count: usize, executor: Rc<RefCell<Executor>>) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::unbounded_channel();
        let link = RemoteLink { jobs, thread: 0 };
        let mut threads = Vec::with_capacity(count);
        let mut step_queues = Vec::with_capacity(count);
        for thread in 0..count {
            let (connections, incoming) = mpsc::unbounded_channel();
            let (steps, answers) = mpsc::unbounded_channel();
            let thread_link = RemoteLink { thread, ..link.clone() };
            let handle = std::thread::Builder::new()
                .name(format!("io_thd_{}", thread + 1))
                .spawn(move || serve_connections(incoming, answers, thread_link))?;
            threads.push((connections, handle));
            step_queues.push(steps);
        }
        let turn = RefCell::new(step_queues.iter().map(|_| Vec::new()).collect());
        let jobs = Rc::new(Jobs { queue: RefCell::new(queue), turn, step_queues });
        tokio::task::spawn_local(run_jobs(executor, jobs.clone()));
        Ok(IoThreads { threads: RefCell::new(threads), link, next: std::cell::Cell::new(0), jobs })
    }

    /// Runs the jobs the connections queued meanwhile (the hook of a busy script or a load, on
    /// the executor's thread, with the executor lent as `executor`).
    pub fn serve_queued(&self, executor: &mut ExecutorMut<'_>) {
        self.jobs.serve(executor, None);
    }

    /// Hands `socket` to the next I/O thread in turn (Redis also assigns clients round-robin).
    pub fn assign(&self, socket: Socket, start: Start) {
        let threads = self.threads.borrow();
        let index = self.next.get() % threads.len().max(1);
        self.next.set(index + 1);
        let id = start.id;
        let sent = threads.get(index).is_some_and(|(queue, _)| queue.send(NewConnection { socket, start }).is_ok());
        if !sent {
            tracing::warn!("I/O thread {} is gone; dropping client id={id}", index + 1);
            self.link.release(id, false);
        }
    }

    /// Stops accepting new connections and waits, at most `grace`, for the I/O threads to
    /// finish their connections (the executor has asked every client to close; it keeps
    /// answering their jobs meanwhile).
    pub async fn stop(&self, grace: Duration) {
        let deadline = Instant::now() + grace;
        let handles: Vec<_> = self.threads.take().into_iter().map(|(_, handle)| handle).collect();
        while handles.iter().any(|h| !h.is_finished()) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

/// The executor's side: waits for a message, then runs every job queued under one borrow of
/// the executor and answers them (see [`Jobs::serve`]).
async fn run_jobs(executor: Rc<RefCell<Executor>>, jobs: Rc<Jobs>) {
    // The queue is borrowed only while polled, so a busy script's or a load's hook can drain it.
    while let Some(first) = std::future::poll_fn(|cx| jobs.queue.borrow_mut().poll_recv(cx)).await {
        jobs.serve(&mut executor.borrow_mut().borrowed(), Some(first));
    }
}

/// An I/O thread: serves the connections it is handed until the server stops handing them,
/// then until they have all ended.
fn serve_connections(
    mut incoming: mpsc::UnboundedReceiver<NewConnection>,
    mut answers: mpsc::UnboundedReceiver<Steps>,
    link: RemoteLink,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::warn!("I/O thread could not start its runtime: {e}");
            return;
        }
    };
    let local = tokio::task::LocalSet::new();
    // Hands each step to its connection: a wake-up within this thread.
    local.spawn_local(async move {
        while let Some(steps) = answers.recv().await {
            for (connection, step) in steps {
                // A connection that stopped waiting (closed meanwhile) drops its answer.
                let _ = connection.send(step);
            }
        }
    });
    // Connections still being served; the thread ends when none is left after the server
    // stopped handing out new ones.
    let live = Rc::new(std::cell::Cell::new(0usize));
    local.block_on(&runtime, async {
        while let Some(NewConnection { socket, start }) = incoming.recv().await {
            let id = start.id;
            let served = match socket {
                Socket::Tcp(s) => {
                    tokio::net::TcpStream::from_std(s).map(|s| spawn_counted(&live, link.clone(), s, start))
                }
                Socket::Unix(s) => {
                    tokio::net::UnixStream::from_std(s).map(|s| spawn_counted(&live, link.clone(), s, start))
                }
            };
            if let Err(e) = served {
                tracing::warn!("I/O thread could not take client id={id}: {e}");
                link.release(id, false);
            }
        }
        while live.get() > 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
}

/// Serves a connection on this thread, counted in `live` while it runs.
fn spawn_counted<S>(live: &Rc<std::cell::Cell<usize>>, link: RemoteLink, stream: S, start: Start)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + 'static,
{
    live.set(live.get() + 1);
    let live = live.clone();
    tokio::task::spawn_local(async move {
        connection::serve(link, stream, start).await;
        live.set(live.get() - 1);
    });
}
