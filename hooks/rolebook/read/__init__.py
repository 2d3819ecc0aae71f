"""Reading sources: finding files, decoding text, Markdown with line numbers, agent
metadata (agent.json, front matter), CrewAI YAML and the site overlay."""
