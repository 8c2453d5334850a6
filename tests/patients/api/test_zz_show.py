from tests.patients.api.test_issue10_query_counts import *
from django.db import connection
from django.test.utils import CaptureQueriesContext

@requires_postgresql
def test_show(world):
    client, _ = world
    for body in ({"q": "martin jean"}, {"q": "matrin jean"}):
        with CaptureQueriesContext(connection) as c:
            r = client.post(SEARCH, body, format="json")
        print(len(c.captured_queries))
        for q in c.captured_queries:
            print(q["sql"][:200]); print('---')
