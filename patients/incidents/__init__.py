"""Identity incidents (RNIV AUD-04): a wrong identity, who read it since the faulty change, and their alerts."""
