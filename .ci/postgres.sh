# Start a throwaway PostgreSQL cluster on 127.0.0.1 and export its DSN for the tests.
#
# TCP connections need the password in STOREPIPE_TEST_PG_PASSWORD (scram-sha-256),
# so the tests can check that storepipe reads it from PGPASSWORD and never writes it
# down. The cluster stops when the calling shell exits.
start_postgres() {
    local bin port=${STOREPIPE_TEST_PG_PORT:-54329}
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ]; then
        echo "PostgreSQL is not installed; tests marked postgres will skip" >&2
        return 0
    fi
    local root run_as=()
    root=$(mktemp -d /tmp/storepipe-pg.XXXXXX)
    # initdb refuses to run as root, so root runs the server as the postgres user.
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$root"
        run_as=(runuser -u postgres --)
    fi
    export STOREPIPE_TEST_PG_PASSWORD=storepipe-test
    printf '%s\n' "$STOREPIPE_TEST_PG_PASSWORD" >"$root/password"
    chmod 644 "$root/password"
    "${run_as[@]}" "$bin/initdb" -D "$root/data" -U postgres \
        --auth-local=trust --auth-host=scram-sha-256 \
        --pwfile="$root/password" >/dev/null
    "${run_as[@]}" "$bin/pg_ctl" -D "$root/data" -l "$root/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $root" start >/dev/null
    export STOREPIPE_TEST_PG_DSN="host=127.0.0.1 port=$port user=postgres dbname=postgres"
    # The quoted command runs at exit, when `run_as`, `bin` and `root` are gone.
    trap "${run_as[*]} $bin/pg_ctl -D $root/data -m fast stop >/dev/null 2>&1; \
        rm -rf $root" EXIT
}
