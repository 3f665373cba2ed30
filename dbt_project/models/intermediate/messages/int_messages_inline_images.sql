{#- Images embedded in email HTML as `data:` URIs: each distinct one of a message becomes a file
    (a ContentVersion the loader writes from `image_base64`), numbered in order of appearance. -#}
with

emails as (

    select message_id, ticket_id, body_html
    from {{ ref('int_messages_routed') }}
    where disposition = 'EmailMessage' and body_html like '%data:%'

),

found as (

    select
        message_id,
        ticket_id,
        regexp_extract_all(body_html, 'data:image/[A-Za-z0-9.+-]+;base64,[A-Za-z0-9+/=]+') as data_uris
    from emails

),

positions as (

    select message_id, ticket_id, data_uris, unnest(range(1, len(data_uris) + 1)) as found_at
    from found

),

distinct_uris as (

    select
        message_id,
        ticket_id,
        data_uris[found_at] as data_uri,
        row_number() over (partition by message_id order by min(found_at)) as image_position
    from positions
    group by message_id, ticket_id, data_uris[found_at]

),

decoded as (

    select
        message_id,
        ticket_id,
        image_position,
        data_uri,
        regexp_extract(data_uri, '^data:(image/[A-Za-z0-9.+-]+);', 1) as content_type,
        regexp_extract(data_uri, 'base64,(.*)$', 1) as image_base64,
        try(from_base64(regexp_extract(data_uri, 'base64,(.*)$', 1))) as image_bytes
    from distinct_uris

)

select
    message_id,
    ticket_id,
    image_position,
    'message-' || message_id || '-image-' || image_position as content_version_id,
    data_uri,
    content_type,
    image_base64,
    image_bytes is not null as is_decodable,
    octet_length(image_bytes) as size_bytes,
    sha256(image_bytes) as sha256
from decoded
