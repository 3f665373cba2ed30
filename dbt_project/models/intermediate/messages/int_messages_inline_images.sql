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
        {#- the group is said: Spark's default is 1, DuckDB's 0 -#}
        regexp_extract_all(body_html, 'data:image/[A-Za-z0-9.+-]+;base64,[A-Za-z0-9+/=]+', 0) as data_uris
    from emails

),

positions as (

    select message_id, ticket_id, {{ unnest_with_position('data_uris', 'data_uri', 'found_at') }}
    from found

),

distinct_uris as (

    select
        message_id,
        ticket_id,
        data_uri,
        cast(row_number() over (partition by message_id order by min(found_at)) as bigint) as image_position
    from positions
    group by message_id, ticket_id, data_uri

),

decoded as (

    select
        message_id,
        ticket_id,
        image_position,
        data_uri,
        regexp_extract(data_uri, '^data:(image/[A-Za-z0-9.+-]+);', 1) as content_type,
        regexp_extract(data_uri, 'base64,(.*)$', 1) as image_base64,
        {#- only whole 4-character groups decode: DuckDB rejects unpadded base64, Spark would read it -#}
        case
            when length(regexp_extract(data_uri, 'base64,(.*)$', 1)) % 4 = 0
                then {{ try_from_base64("regexp_extract(data_uri, 'base64,(.*)$', 1)") }}
        end as image_bytes
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
    cast(octet_length(image_bytes) as bigint) as size_bytes,
    {{ sha256_hex('image_bytes') }} as sha256
from decoded
