with source as (select * from {{ source('raw_stames', 'deleted_records') }}),

account as ({{ stames_account_clock() }}),

renamed as (
    select
        -- ids
        id as record_id,
        merged_into_id,
        -- strings
        object,
        reason,
        -- timestamps
        {{ stames_timestamp('deleted_at') }} as deleted_at
    from source
    cross join account
)

select * from renamed
