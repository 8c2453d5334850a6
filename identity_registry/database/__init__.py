"""Issue 10: reads that tolerate replication lag go to replicas, everything else to the primary.

``config`` turns the environment into ``DATABASES`` (replicas, pooler); ``routing`` holds the per-request
state and the router; ``middleware`` opens that state for each request and sets the after-write pin.
"""
