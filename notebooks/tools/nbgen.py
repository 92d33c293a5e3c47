"""Shared helpers of the notebook generators: markdown and tagged code cells, and writing a notebook for the
SlimLab Java kernel. A cell's tags say what the tests expect of it (see NotebooksTest)."""
import nbformat as nbf
from pathlib import Path

md = nbf.v4.new_markdown_cell


def code(src, *tags):
    c = nbf.v4.new_code_cell(src)
    if tags:
        c.metadata["tags"] = list(tags)
    return c


def write(cells, name):
    """Writes notebooks/<name> with the Java (SlimLab) kernelspec."""
    nb = nbf.v4.new_notebook()
    nb.cells = cells
    nb.metadata = {"kernelspec": {"display_name": "Java (SlimLab)", "language": "java", "name": "java"},
                   "language_info": {"codemirror_mode": "java", "file_extension": ".jshell",
                                     "mimetype": "text/x-java-source", "name": "java", "pygments_lexer": "java"}}
    out = Path(__file__).resolve().parent.parent / name
    nbf.write(nb, out)
    print("wrote", out)
