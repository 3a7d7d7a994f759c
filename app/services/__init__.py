"""Services own transactions: each public function here is one unit of work for a route or a CLI command."""
