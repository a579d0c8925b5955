"""Report output: chart geometry, delivery figures, PDF rendering and exports. Pure where it can be."""
