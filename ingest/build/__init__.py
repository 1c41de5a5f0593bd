"""Graph building: extractions → one named graph per source, the merged view, the agency registry graph, corrections."""
