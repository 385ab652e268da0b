"""The throwaway PostgreSQL server of the tests and the bench: fast for the tests, durable (as a
production server) when asked, as the app's own connections see it."""
import pytest
from pg_support import running_cluster

from lakou_metrics import store

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("durable, expected", [
    pytest.param(False, {"fsync": "off", "synchronous_commit": "off"}, id="tests: nothing waits for the disk"),
    pytest.param(True, {"fsync": "on", "synchronous_commit": "on"}, id="durable: as a production server"),
])
def test_a_cluster_flushes_to_disk_only_when_durable(durable, expected):
    with running_cluster(durable=durable) as cluster:
        engine = store.open_database(cluster.new_database())
        with engine.connect() as conn:
            found = {name: conn.exec_driver_sql(f"SHOW {name}").scalar() for name in expected}
        engine.dispose()
    assert found == expected
