"""Pages of the technology market: the staff registers and dockings (``records``), the public
供需大厅 (``hall``) and the search indexes' page (``search_index``)."""
