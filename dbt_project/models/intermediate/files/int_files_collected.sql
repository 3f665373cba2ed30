{#- One row per file Salesforce gets as a ContentVersion: every stored attachment, every
    full body that had to be cut, every `data:` image. Generated files (bodies, images) are not
    on disk yet: `inline_content` holds what the loader writes, at `storage_path`, the same
    content-addressed place (`files/<sha[0:2]>/<sha[2:4]>/<sha>`) the extract step uses. -#}
with

attachments as (

    select
        attachment_id::string as content_version_id,
        'attachment' as file_kind,
        ticket_id,
        message_id,
        file_name,
        content_type,
        storage_path,
        size_bytes,
        sha256,
        null::string as inline_content
    from {{ ref('int_attachments_resolved') }}
    where disposition = 'ContentVersion'

),

bodies as (

    select message_id, ticket_id, html_file_id, text_file_id, html_rewritten, body_text
    from {{ ref('int_messages_bodies_fitted') }}
    where html_cut or text_cut

),

body_files as (

    select
        html_file_id as content_version_id,
        'html_body' as file_kind,
        ticket_id,
        message_id,
        'message-' || message_id || '.html' as file_name,
        'text/html' as content_type,
        html_rewritten as inline_content
    from bodies
    where html_file_id is not null

    union all

    select
        text_file_id,
        'text_body',
        ticket_id,
        message_id,
        'message-' || message_id || '.txt',
        'text/plain',
        body_text
    from bodies
    where text_file_id is not null

),

image_files as (

    select
        content_version_id,
        'inline_image' as file_kind,
        ticket_id,
        message_id,
        'message-' || message_id || '-image-' || image_position || '.'
            || regexp_extract(content_type, '/([a-z0-9]+)', 1) as file_name,
        content_type,
        image_base64 as inline_content,
        size_bytes,
        sha256
    from {{ ref('int_messages_inline_images') }}
    where is_decodable

),

generated as (

    select
        content_version_id, file_kind, ticket_id, message_id, file_name, content_type,
        inline_content, {{ utf8_bytes('inline_content') }} as size_bytes, {{ sha256_hex('inline_content') }} as sha256
    from body_files

    union all

    select
        content_version_id, file_kind, ticket_id, message_id, file_name, content_type,
        inline_content, size_bytes, sha256
    from image_files

)

select * from attachments

union all

select
    content_version_id, file_kind, ticket_id, message_id, file_name, content_type,
    'files/' || substring(sha256, 1, 2) || '/' || substring(sha256, 3, 2) || '/' || sha256 as storage_path,
    size_bytes, sha256, inline_content
from generated
