//! Minimal HTML helpers for the sign-in, consent and error pages.

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <main>\n<p class=\"banner\">entra-sim: a local simulator of Microsoft Entra ID. No real account is used.</p>\n\
         {body}\n</main>\n</body>\n</html>\n",
        title = escape(title),
    )
}

pub fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        escape(name),
        escape(value)
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f3f2f1;margin:0}\
main{max-width:34rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:4px}\
.banner{font-size:.85rem;color:#605e5c}\
form.user button,button{display:block;width:100%;text-align:left;padding:.75rem;margin:.5rem 0;\
font-size:1rem;border:1px solid #8a8886;background:#fff;cursor:pointer}\
button:focus,button:hover{border-color:#0067b8;outline:2px solid #0067b8}\
.roles{display:block;font-size:.85rem;color:#605e5c}\
.error{color:#a80000}ul.scopes li{margin:.25rem 0}";

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
