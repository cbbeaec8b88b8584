"""Stage 6, analyze: the graph (and claim findings) in; relations and analyses out, written back as RDF.

:mod:`.claims` compares claims (contradiction, agreement); :mod:`.analyses` projects the store
into networkx graphs and runs the analyses (who contradicts whom, camps, central speakers and
sources, repeated statements), returning quads for the analysis graph and report data.
"""
