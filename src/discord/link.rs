//! Links in Discord: `/ingest url:<link>` and a mention "ingest <link>" fetch a page and add
//! it.
