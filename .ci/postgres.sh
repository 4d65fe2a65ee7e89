# Start a throwaway PostgreSQL cluster on 127.0.0.1 and export its DSN for the tests.
start_postgres() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ]; then
        echo "PostgreSQL is not installed; tests marked postgres will skip" >&2
        return 0
    fi
    local root
    root=$(mktemp -d /tmp/storepipe-pg.XXXXXX)
    chown postgres "$root"
    su postgres -c "$bin/initdb -D $root/data -A trust -U postgres" >/dev/null
    su postgres -c "$bin/pg_ctl -D $root/data -l $root/log -w \
        -o '-c listen_addresses=127.0.0.1 -p 54329 -k $root' start" >/dev/null
    export STOREPIPE_TEST_PG_DSN="host=127.0.0.1 port=54329 user=postgres dbname=postgres"
    trap "su postgres -c '$bin/pg_ctl -D $root/data -m fast stop' >/dev/null 2>&1 || true" EXIT
}
