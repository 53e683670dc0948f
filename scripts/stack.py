"""Kindred's production topology on one machine: `make stack`, `make stack-stop`.

    nginx :8080 (static and media files, gzip, X-Forwarded-For/Proto)
      -> two granian app servers :8101 :8102 (passive health checks: an app
         server that fails is taken out for a few seconds, the request retried
         on the other when it was a GET)
    Redis :6390 (own data dir, append-only file): cache, sessions, rate limits,
         login lockouts, and the RQ task queue
    PostgreSQL primary (the project's cluster, config/localdb.py) and a
         streaming replica made by pg_basebackup, on its own socket
    two RQ workers (`manage.py rqworker`, django-tasks-rq)

Everything lives in var/stack/ (STACK_DIR): configuration, data, logs, pids.
Every address is loopback; each part is named by a URL in the app servers'
environment, so the same settings spread over several machines (README).

Usage: python scripts/stack.py start|stop|status|env
       start-app N | stop-app N   (one app server, for the load test's faults)
Environment: STACK_DIR, STACK_PORT, STACK_APP_PORTS, STACK_REDIS_PORT,
STACK_DB (the database, default kindred), STACK_SEED (1: load the demo content).
"""

import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import localdb  # noqa: E402

PY = ROOT / ".venv" / "bin" / "python"
STACK = Path(os.environ.get("STACK_DIR", ROOT / "var" / "stack")).resolve()
PORT = int(os.environ.get("STACK_PORT", "8080"))
APP_PORTS = [int(p) for p in os.environ.get("STACK_APP_PORTS", "8101,8102").split(",")]
REDIS_PORT = int(os.environ.get("STACK_REDIS_PORT", "6390"))
DB_NAME = os.environ.get("STACK_DB", "kindred")
WORKERS = 2
PACKAGES = {"nginx": "nginx", "redis-server": "redis-server"}


def log(message: str) -> None:
    print(f"stack: {message}", flush=True)


# Packages ----------------------------------------------------------------------


def _which(program: str) -> str | None:
    return shutil.which(program) or next(
        (
            str(Path(d) / program)
            for d in ("/usr/sbin", "/usr/bin")
            if (Path(d) / program).exists()
        ),
        None,
    )


def ensure_packages() -> None:
    """Debian's nginx and redis-server, installed where missing, without letting
    the packages start their own system-wide services (port 80, port 6379)."""
    missing = [pkg for program, pkg in PACKAGES.items() if not _which(program)]
    if not missing:
        return
    log(f"installing {' '.join(missing)} with apt-get")
    policy = Path("/usr/sbin/policy-rc.d")
    ours = not policy.exists()
    if ours:
        policy.write_text(
            "#!/bin/sh\n# Written by Kindred's scripts/stack.py\nexit 101\n"
        )
        policy.chmod(0o755)
    try:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "--no-install-recommends"]
        if subprocess.run([*install, *missing], env=env).returncode:
            subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
            subprocess.run([*install, *missing], env=env, check=True)
    finally:
        if ours:
            policy.unlink(missing_ok=True)


# Paths and environment ---------------------------------------------------------


def primary_dir() -> Path:
    return localdb.cluster_dir()


def replica_dir() -> Path:
    """Beside the stack's other data when the postgres user can reach it, as
    the primary's cluster does."""
    if primary_dir() == ROOT / "var" / "pgdata":
        return STACK / "replica"
    return Path(f"{primary_dir()}-replica-{STACK.name}")


def slot_name() -> str:
    return "kindred_" + "".join(c if c.isalnum() else "_" for c in STACK.name).lower()


def database_url(host: Path) -> str:
    return f"postgresql://{localdb.ROLE}@/{DB_NAME}?host={host}"


def secret_key() -> str:
    path = STACK / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def app_env() -> dict[str, str]:
    """The app servers' and workers' settings: the production settings, every
    part named by a URL (README, "Running Kindred in production")."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "KINDRED_", "DATABASE_", "REDIS_"))
    }
    origin = [f"http://127.0.0.1:{PORT}", f"http://localhost:{PORT}"]
    return {
        **inherited,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secret_key(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": ",".join(origin),
        # Plain HTTP on loopback: TLS ends at the front server in a real
        # deployment, which then sends X-Forwarded-Proto: https.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "KINDRED_TRUSTED_PROXIES": "1",
        "DATABASE_URL": database_url(primary_dir()),
        "DATABASE_REPLICA_URL": database_url(replica_dir()),
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "KINDRED_RQ_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "KINDRED_TASKS_BACKEND": "config.tasks_rq.RQBackend",
        "DJANGO_STATIC_ROOT": str(ROOT / "var" / "staticfiles"),
        "DJANGO_MEDIA_ROOT": str(ROOT / "var" / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


# Processes ---------------------------------------------------------------------


def pidfile(name: str) -> Path:
    return STACK / "pids" / f"{name}.pid"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (our own child, not yet reaped) is as good as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def read_pid(name: str) -> int | None:
    try:
        pid = int(pidfile(name).read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None
    return pid if alive(pid) else None


def spawn(name: str, args: list[str], env: dict[str, str] | None = None) -> int:
    """A process of the stack, in its own session (it outlives this script),
    its output in logs/NAME.log."""
    logfile = open(STACK / "logs" / f"{name}.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env=env or app_env(),
        stdin=subprocess.DEVNULL,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    pidfile(name).write_text(f"{process.pid}\n")
    return process.pid


def terminate(name: str, timeout: float = 15) -> None:
    pid = read_pid(name)
    if pid:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + timeout
            while alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if not alive(pid):
                break
    pidfile(name).unlink(missing_ok=True)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"stack: {url} did not answer 200 in {timeout:.0f} s")
        time.sleep(0.3)


# Redis ---------------------------------------------------------------------------


def redis_conf() -> Path:
    data = STACK / "redis"
    data.mkdir(exist_ok=True)
    conf = data / "redis.conf"
    conf.write_text(
        f"""# Written by scripts/stack.py
bind 127.0.0.1
port {REDIS_PORT}
unixsocket {data}/redis.sock
unixsocketperm 700
dir {data}
pidfile {STACK}/pids/redis.pid
logfile {STACK}/logs/redis.log
daemonize yes
# Queued tasks and sessions survive a restart: append-only file, synced each second.
appendonly yes
appendfsync everysec
save ""
maxmemory 256mb
maxmemory-policy noeviction
"""
    )
    return conf


def start_redis() -> None:
    if read_pid("redis"):
        return
    subprocess.run([_which("redis-server"), str(redis_conf())], check=True)
    deadline = time.monotonic() + 20
    while not redis_ping():
        if time.monotonic() > deadline:
            sys.exit(f"stack: Redis did not start; see {STACK}/logs/redis.log")
        time.sleep(0.1)


def redis_ping() -> bool:
    cli = _which("redis-cli")
    args = [cli, "-p", str(REDIS_PORT), "ping"]
    result = subprocess.run(args, capture_output=True, text=True)
    return result.stdout.strip() == "PONG"


def stop_redis() -> None:
    pid = read_pid("redis")
    if pid:
        os.kill(pid, signal.SIGTERM)  # saves the append-only file, then exits
        for _ in range(100):
            if not alive(pid):
                break
            time.sleep(0.1)
    terminate("redis")


# PostgreSQL ----------------------------------------------------------------------


def psql(sql: str, dbname: str = "postgres", host: Path | None = None) -> str:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(
        host=str(host or primary_dir()), user="postgres", dbname=dbname, autocommit=True
    ) as conn:
        cursor = conn.execute(sql)
        rows = cursor.fetchall() if cursor.description else []
    return "\n".join("|".join(str(v) for v in row) for row in rows)


def ensure_database() -> None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'")
    if not exists:
        psql(f'CREATE DATABASE "{DB_NAME}" OWNER {localdb.ROLE}')


def start_replica() -> None:
    data = replica_dir()
    bindir = localdb._bindir()
    if not (data / "PG_VERSION").exists():
        log(f"making the replica with pg_basebackup in {data}")
        slot = slot_name()
        if psql(f"SELECT 1 FROM pg_replication_slots WHERE slot_name = '{slot}'"):
            psql(f"SELECT pg_drop_replication_slot('{slot}')")
        shutil.rmtree(data, ignore_errors=True)
        localdb._prepare(data)
        localdb._run(
            [
                str(bindir / "pg_basebackup"),
                "-h",
                str(primary_dir()),
                "-U",
                "postgres",
                "-D",
                str(data),
                "--wal-method=stream",
                "--write-recovery-conf",  # standby.signal + primary_conninfo
                "--create-slot",
                "--slot",
                slot,
                "--checkpoint=fast",
            ]
        )
        # The primary keeps its socket (and the socket's lock file) and its log
        # in its data directory: the copy must not start with them.
        for name in ("postmaster.pid", ".s.PGSQL.5432.lock", "server.log"):
            (data / name).unlink(missing_ok=True)
    localdb._configure(data)  # its own socket, durable settings
    conf = data / "postgresql.conf"
    if "hot_standby_feedback = on" not in conf.read_text():
        # Long reads on the replica are not cancelled by the primary's vacuum.
        with open(conf, "a") as out:
            out.write("hot_standby = on\nhot_standby_feedback = on\n")
    localdb._clear_stale_pid(data)
    if not localdb._running(data):
        localdb._run(
            [
                str(bindir / "pg_ctl"),
                "start",
                "-w",
                "-s",
                "-D",
                str(data),
                "-l",
                str(data / "server.log"),
            ]
        )


def stop_replica(mode: str = "fast") -> None:
    data = replica_dir()
    if (data / "PG_VERSION").exists() and localdb._running(data):
        localdb._run(
            [
                str(localdb._bindir() / "pg_ctl"),
                "stop",
                "-s",
                "-m",
                mode,
                "-D",
                str(data),
            ]
        )


def remove_replica() -> None:
    stop_replica()
    slot = slot_name()
    try:
        if psql(f"SELECT 1 FROM pg_replication_slots WHERE slot_name = '{slot}'"):
            psql(f"SELECT pg_drop_replication_slot('{slot}')")
    except Exception as error:  # the primary is down: nothing holds WAL then
        log(f"could not drop the replication slot {slot}: {error}")
    shutil.rmtree(replica_dir(), ignore_errors=True)


# The app ---------------------------------------------------------------------------


def manage(*args: str) -> None:
    subprocess.run([str(PY), "manage.py", *args], cwd=ROOT, env=app_env(), check=True)


def start_app(number: int) -> None:
    name = f"app{number}"
    if read_pid(name):
        return
    port = APP_PORTS[number - 1]
    spawn(
        name,
        [
            str(ROOT / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "config.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            # One process per app server: its /metrics are all of its figures.
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
    )
    wait_for(f"http://127.0.0.1:{port}/healthz/ready")


def start_worker(number: int) -> None:
    """An RQ worker under a supervisor that starts it again whenever it ends
    (Redis restarted under it, kill -9), as systemd's Restart=always would."""
    name = f"worker{number}"
    if read_pid(name):
        return
    spawn(
        name,
        [
            str(PY),
            str(ROOT / "scripts" / "stack.py"),
            "supervise",
            name,
            str(PY),
            "manage.py",
            "rqworker",
            "--job-class",
            "django_tasks_rq.Job",
            "--worker-class",
            "config.tasks_rq.Worker",
            "--with-scheduler",
            "default",
        ],
    )


def supervise(name: str, args: list[str]) -> None:
    """Run args again each time it ends, until this process is told to stop;
    the child's pid in pids/NAME.child.pid (the load test kills it)."""
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        child = subprocess.Popen(args, cwd=ROOT)
        pidfile(f"{name}.child").write_text(f"{child.pid}\n")
        child.wait()
        if not stopping:
            print(f"supervise: {name} ended ({child.returncode}), starting it again")
            time.sleep(1)
    pidfile(f"{name}.child").unlink(missing_ok=True)


def nginx_conf(down: frozenset[int] = frozenset()) -> Path:
    prefix = STACK / "nginx"
    for sub in ("", "tmp", "cache"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    user = pwd.getpwuid(ROOT.stat().st_uid).pw_name
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s"
        + (" down;" if port in down else ";")
        for port in APP_PORTS
    )
    env = app_env()
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""# Written by scripts/stack.py
user {user};
worker_processes auto;
daemon on;
pid {STACK}/pids/nginx.pid;
error_log {STACK}/logs/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    sendfile on;
    keepalive_timeout 65;
    client_max_body_size 12m;
    gzip on;
    gzip_vary on;
    gzip_proxied any;
    gzip_min_length 1024;
    gzip_types text/plain text/css application/javascript application/json
               application/xml application/atom+xml image/svg+xml;

    # The shared copy of anonymous pages (README, "The cache in front"): kept
    # as long as the app's Cache-Control allows (public, max-age=1), keyed by
    # the address alone. A request with any cookie (a member's session, a
    # guest's CSRF token or messages) or credentials neither reads nor writes
    # it, nor do the pages that are never shared.
    proxy_cache_path {prefix}/cache levels=1:2 keys_zone=kindred_pages:10m
                     max_size=1g inactive=1h use_temp_path=off;
    # Browsers that take gzip and those that do not have a copy each (the app
    # compresses; Vary keeps them apart), found at once by their key.
    map $http_accept_encoding $kindred_encoding {{
        default "";
        ~*gzip gzip;
    }}
    map $uri $kindred_private_path {{
        default 0;
        ~^/(accounts|admin|healthz|metrics)(/|$) 1;
    }}

    upstream kindred {{
        # Passive health checks: an app server that fails a request (refused,
        # timed out) is left out for fail_timeout, then tried again. Active
        # ones: `stack.py healthwatch` marks "down" a server whose
        # /healthz/ready fails, and reloads.
{servers}
        keepalive 16;
    }}

    server {{
        listen 127.0.0.1:{PORT};
        server_name _;

        location /static/ {{
            alias {env["DJANGO_STATIC_ROOT"]}/;
            gzip_static on;
            expires 1y;
            add_header Cache-Control "public, immutable";
        }}
        location /media/ {{
            alias {env["DJANGO_MEDIA_ROOT"]}/;
            expires 7d;
        }}
        location / {{
            proxy_pass http://kindred;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A GET that failed on one app server is tried on the other; a POST
            # never is (nginx's default), so no form is stored twice.
            proxy_next_upstream error timeout http_502 http_504;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            proxy_cache kindred_pages;
            proxy_cache_key $scheme$host$request_uri$kindred_encoding;
            proxy_cache_bypass $http_cookie $http_authorization $kindred_private_path;
            proxy_no_cache $http_cookie $http_authorization $kindred_private_path;
            # Once a copy has expired, the first reader after that gets a fresh
            # page and those arriving meanwhile the copy being replaced. No
            # proxy_cache_lock: its waiters poll twice a second, so concurrent
            # readers of a page that may not be shared queued up to its timeout
            # (README, "The cache in front").
            proxy_cache_use_stale updating;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}
}}
"""
    )
    return conf


def start_nginx() -> None:
    conf = nginx_conf()
    nginx = _which("nginx")
    subprocess.run(
        [nginx, "-t", "-q", "-c", str(conf), "-p", str(conf.parent)], check=True
    )
    if read_pid("nginx"):
        subprocess.run([nginx, "-c", str(conf), "-p", str(conf.parent), "-s", "reload"])
    else:
        subprocess.run([nginx, "-c", str(conf), "-p", str(conf.parent)], check=True)
    wait_for(f"http://127.0.0.1:{PORT}/healthz/ready")


def ready(port: int) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/healthz/ready"
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def healthwatch(interval: float = 2.0) -> None:
    """The balancer's active health checks (nginx's own are in its commercial
    edition): every `interval` seconds ask each app server's readiness, and
    take out of nginx's upstream those that are not ready, unless none is,
    when nginx keeps them all (anonymous reads may still work from the
    replica, and a 503 page beats a 502)."""
    nginx = _which("nginx")
    down: frozenset[int] = frozenset()
    # A server is taken out after 3 failed checks in a row and back after 2
    # good ones: a check slowed by a burst of load must not reload nginx.
    failures = dict.fromkeys(APP_PORTS, 0)
    successes = dict.fromkeys(APP_PORTS, 0)
    while True:
        for port in APP_PORTS:
            if ready(port):
                failures[port], successes[port] = 0, successes[port] + 1
            else:
                failures[port], successes[port] = failures[port] + 1, 0
        unready = frozenset(
            port
            for port in APP_PORTS
            if failures[port] >= 3 or (port in down and successes[port] < 2)
        )
        wanted = unready if len(unready) < len(APP_PORTS) else frozenset()
        if wanted != down:
            conf = nginx_conf(wanted)
            subprocess.run(
                [nginx, "-c", str(conf), "-p", str(conf.parent), "-s", "reload"]
            )
            print(f"healthwatch: down {sorted(wanted) or 'none'}", flush=True)
            down = wanted
        time.sleep(interval)


def stop_nginx() -> None:
    pid = read_pid("nginx")
    if pid:
        os.kill(pid, signal.SIGQUIT)  # finish the requests under way
        for _ in range(100):
            if not alive(pid):
                break
            time.sleep(0.1)
    terminate("nginx")


# Commands --------------------------------------------------------------------------


def start() -> None:
    for sub in ("pids", "logs"):
        (STACK / sub).mkdir(parents=True, exist_ok=True)
    ensure_packages()
    if not localdb._running(primary_dir()):
        (STACK / "started-primary").touch()
    localdb.start()
    ensure_database()
    start_redis()
    log("migrating and collecting static files")
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    if os.environ.get("STACK_SEED", "1") == "1":
        manage("seed_demo")
    start_replica()
    for number in range(1, len(APP_PORTS) + 1):
        start_app(number)
    for number in range(1, WORKERS + 1):
        start_worker(number)
    start_nginx()
    if not read_pid("healthwatch"):
        spawn(
            "healthwatch", [str(PY), str(ROOT / "scripts" / "stack.py"), "healthwatch"]
        )
    log(f"Kindred is at http://127.0.0.1:{PORT}/ (make stack-stop stops it)")
    status()


def stop(purge: bool = False) -> None:
    """Stops every part; with purge, also removes the replica (and its slot on
    the primary) and Redis's data."""
    terminate("healthwatch")
    stop_nginx()
    for number in range(1, WORKERS + 1):
        terminate(f"worker{number}")
    for number in range(1, len(APP_PORTS) + 1):
        terminate(f"app{number}")
    stop_redis()
    if purge:
        remove_replica()
        shutil.rmtree(STACK / "redis", ignore_errors=True)
    else:
        stop_replica()
    started = STACK / "started-primary"
    if started.exists():
        localdb.stop()
        started.unlink()
    log("stopped")


def status() -> None:
    names = [
        "nginx",
        "healthwatch",
        *(f"app{n}" for n in range(1, len(APP_PORTS) + 1)),
        *(f"worker{n}" for n in range(1, WORKERS + 1)),
        "redis",
    ]
    for name in names:
        pid = read_pid(name)
        print(f"  {name:8} {'running, pid ' + str(pid) if pid else 'stopped'}")
    for label, data in (("primary", primary_dir()), ("replica", replica_dir())):
        state = "running" if localdb._running(data) else "stopped"
        print(f"  {label:8} {state} ({data})")


def main(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        start()
    elif command == "stop":
        stop()
    elif command == "purge":
        stop(purge=True)
    elif command == "start-app":
        start_app(int(argv[2]))
    elif command == "stop-app":
        terminate(f"app{argv[2]}")
    elif command == "healthwatch":
        healthwatch()
    elif command == "supervise":
        supervise(argv[2], argv[3:])
    elif command == "env":
        for name, value in app_env().items():
            if name.startswith(("DJANGO_", "KINDRED_", "DATABASE_", "REDIS_")):
                print(f"{name}={value}")
    else:
        status()


if __name__ == "__main__":
    main(sys.argv)
