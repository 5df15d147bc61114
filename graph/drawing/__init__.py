"""What a page draws and how: the view, the layout, the offline HTML."""
