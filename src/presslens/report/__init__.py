"""Views of one ``Analysis`` for people: the HTML report and Markdown (``render``)."""
