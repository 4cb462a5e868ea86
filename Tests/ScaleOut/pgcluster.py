"""A throwaway PostgreSQL cluster for tests and scripts: Debian's PostgreSQL 15, no Docker, nothing kept.

Usage as a module:
    from pgcluster import Cluster
    with Cluster() as pg:          # initdb in a temp dir, started, database and password user "vouch"
        env["VOUCH_DATABASE_URL"] = pg.url
        pg.stop("fast"); pg.start()   # a restart under load
    # stopped (immediate) and removed, even when the block raised

Usage as a command:
    pgcluster.py run -- COMMAND...   start a cluster, run COMMAND with VOUCH_DATABASE_URL (and PG* for psql)
                                     set, stop and remove the cluster; exits with COMMAND's status
    pgcluster.py selftest            start, connect with the password over TCP, refuse a wrong password,
                                     restart (fast), connect again, remove; exit 0 when all of that held

initdb refuses to run as root, so every server command runs as the `postgres` user through
`runuser -u postgres --`. The server listens on 127.0.0.1 on a free port (password, SCRAM) and on a unix
socket inside the temp dir (trust, for the superuser's set-up only). fsync stays on: the tests measure
real commits. Python standard library only; psql is the client.
"""
import atexit
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

BIN = "/usr/lib/postgresql/15/bin"
USER = "vouch"
DATABASE = "vouch"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ClusterError(Exception):
    pass


class Cluster:
    """One PostgreSQL server in a temporary directory, owned by `postgres`, removed by `remove()`."""

    def __init__(self, port=None, max_connections=100):
        if os.geteuid() != 0:
            raise ClusterError("pgcluster needs root (it runs the server as the postgres user through runuser)")
        if not os.path.exists(os.path.join(BIN, "initdb")):
            raise ClusterError(f"{BIN}/initdb missing: apt-get install postgresql (the Makefile's APT_PACKAGES)")
        self.dir = tempfile.mkdtemp(prefix="vouch-pg-")
        self.data = os.path.join(self.dir, "data")
        self.sockets = os.path.join(self.dir, "sock")
        self.logfile = os.path.join(self.dir, "server.log")
        self.port = port or free_port()
        self.password = secrets.token_hex(16)
        self.removed = False
        atexit.register(self.remove)
        # A driver stopped by SIGTERM (a test runner's timeout) still runs atexit, so the server goes too.
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            try:
                signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
            except ValueError:  # not the main thread: leave signals alone
                pass
        try:
            os.mkdir(self.sockets)
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
            self._as_postgres([f"{BIN}/initdb", "-D", self.data, "-U", "postgres", "--auth-local=trust",
                               "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"])
            with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
                conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                           f"unix_socket_directories = '{self.sockets}'\nmax_connections = {max_connections}\n"
                           "shared_buffers = 128MB\nfsync = on\nsynchronous_commit = on\n")
            self.start()
            self.sql(f"CREATE ROLE {USER} LOGIN PASSWORD '{self.password}'")
            self.sql(f"CREATE DATABASE {DATABASE} OWNER {USER}")
        except BaseException:
            self.remove()
            raise

    # MARK: - Addresses

    @property
    def url(self):
        """The `VOUCH_DATABASE_URL` of the vouch user over TCP on loopback."""
        return self.url_with(password=self.password)

    def url_with(self, password=None, port=None, user=USER):
        return f"postgres://{user}:{password or self.password}@127.0.0.1:{port or self.port}/{DATABASE}"

    @property
    def env(self):
        """libpq's variables for psql/pg_dump as the vouch user over TCP, plus VOUCH_DATABASE_URL."""
        return {"VOUCH_DATABASE_URL": self.url, "PGHOST": "127.0.0.1", "PGPORT": str(self.port), "PGUSER": USER,
                "PGPASSWORD": self.password, "PGDATABASE": DATABASE}

    # MARK: - Server

    def _as_postgres(self, command, check=True, timeout=120):
        result = subprocess.run(["runuser", "-u", "postgres", "--"] + command, capture_output=True, text=True,
                                timeout=timeout, cwd=self.dir)
        if check and result.returncode != 0:
            raise ClusterError(f"{' '.join(command[:2])}: exit {result.returncode}\n{result.stdout}{result.stderr}"
                               + self.log_tail())
        return result

    def start(self, timeout=60):
        """Starts the server and waits until it accepts connections."""
        self._as_postgres([f"{BIN}/pg_ctl", "-D", self.data, "-l", self.logfile, "-w", "-t", str(timeout), "start"],
                          timeout=timeout + 10)

    def stop(self, mode="fast", timeout=60):
        """Stops the server: `fast` (clients disconnected, clean shutdown) or `immediate` (like a crash)."""
        self._as_postgres([f"{BIN}/pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", str(timeout), "stop"],
                          timeout=timeout + 10)

    def running(self):
        return self._as_postgres([f"{BIN}/pg_ctl", "-D", self.data, "status"], check=False).returncode == 0

    def sql(self, statement, database="postgres"):
        """Runs SQL as the superuser over the unix socket; returns psql's unaligned output."""
        result = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.sockets,
                                 "-p", str(self.port), "-U", "postgres", "-d", database, "-c", statement],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise ClusterError(f"psql: {result.stderr.strip()}")
        return result.stdout.strip()

    def log_tail(self, limit=3000):
        try:
            with open(self.logfile, errors="replace") as f:
                return "\n--- postgres log ---\n" + f.read()[-limit:]
        except OSError:
            return ""

    def remove(self):
        """Stops the server at once (if it runs) and deletes the directory; safe to call twice."""
        if self.removed:
            return
        self.removed = True
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._as_postgres([f"{BIN}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
        return False


def psql_as_vouch(cluster, statement, password=None):
    env = dict(os.environ, **cluster.env)
    if password is not None:
        env["PGPASSWORD"] = password
    return subprocess.run(["psql", "-X", "-A", "-t", "-c", statement], capture_output=True, text=True, env=env,
                          timeout=30)


def selftest():
    with Cluster() as pg:
        first = psql_as_vouch(pg, "CREATE TABLE t (v int); INSERT INTO t VALUES (1); SELECT count(*) FROM t")
        assert first.returncode == 0 and first.stdout.strip().endswith("1"), first.stderr
        wrong = psql_as_vouch(pg, "SELECT 1", password="not-the-password")
        assert wrong.returncode != 0 and "password authentication failed" in wrong.stderr, wrong.stderr
        pg.stop("fast")
        down = psql_as_vouch(pg, "SELECT 1")
        assert down.returncode != 0, "connected to a stopped server"
        pg.start()
        again = psql_as_vouch(pg, "INSERT INTO t VALUES (2); SELECT count(*) FROM t")
        assert again.returncode == 0 and again.stdout.strip().endswith("2"), again.stderr
        directory = pg.dir
    assert not os.path.exists(directory), "cluster directory left behind"
    print(f"pgcluster ok: initdb, password login over TCP, wrong password refused, fast restart kept data, removed")
    return 0


def run(command):
    pg = Cluster()
    child = None

    def forward(signum, _frame):
        if child is not None and child.poll() is None:
            child.send_signal(signum)
    try:
        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        child = subprocess.Popen(command, env=dict(os.environ, **pg.env))
        return child.wait()
    finally:
        if child is not None and child.poll() is None:
            child.kill()
        pg.remove()


def main(argv):
    if len(argv) >= 2 and argv[1] == "selftest":
        return selftest()
    if len(argv) >= 3 and argv[1] == "run":
        command = argv[3:] if argv[2] == "--" else argv[2:]
        if command:
            return run(command)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except ClusterError as error:
        print(f"pgcluster: {error}", file=sys.stderr)
        sys.exit(2)
